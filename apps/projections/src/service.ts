/** The service's descriptor under the name every launcher looks for (`npm start`, `start:projections`, the generator's checks). */
export { projectionsService as service } from './projections-service';
