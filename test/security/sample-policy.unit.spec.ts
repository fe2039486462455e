/** Every action of the sample service's policy against one principal per agency type × role. */
import { describeAuthorizationMatrix } from '@haidang/auth';
import { samplePolicy } from './sample-service';

describeAuthorizationMatrix(samplePolicy);
