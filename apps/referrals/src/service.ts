/** The service's descriptor under the name every launcher looks for (`npm start`, `start:referrals`, the generator's checks). */
export { referralsService as service } from './referrals-service';
