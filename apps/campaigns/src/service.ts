/** The service's descriptor under the name every launcher looks for (`npm start`, `start:campaigns`, the generator's checks). */
export { campaignsService as service } from './campaigns-service';
