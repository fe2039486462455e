/** The service's descriptor under the name every launcher looks for (`npm start`, `start:cross-border`, the generator's checks). */
export { crossBorderService as service } from './cross-border-service';
