/** The service's descriptor under the name every launcher looks for (`npm start`, `start:cases`, the generator's checks). */
export { casesService as service } from './cases-service';
