/** The service's descriptor under the name every launcher looks for (`npm start`, `start:employment`, the generator's checks). */
export { employmentService as service } from './employment-service';
