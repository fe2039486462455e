import type { IsoDate } from '@haidang/calendar';
import type { ActivityRecorded, WithdrawalReason } from './activity.events';

export type RecordActivity = {
  readonly type: 'RecordActivity';
  readonly data: ActivityRecorded['data'] & {
    /** The recording agency's type: a provincial department acts only while it holds the function. */
    readonly recordedByType: string;
    /** The linked plan's period, looked up by the service (null: no plan linked). */
    readonly planPeriod: { readonly from: IsoDate; readonly to: IsoDate } | null;
    /** The named establishments as the register knows them (kind null: unknown there), looked up by the service. */
    readonly establishments: readonly { readonly id: string; readonly kind: string | null; readonly provinceCode: string | null; readonly open: boolean }[];
  };
};

export type WithdrawActivity = {
  readonly type: 'WithdrawActivity';
  readonly data: { readonly withdrawnOn: IsoDate; readonly reason: WithdrawalReason };
};

export type ActivityCommand = RecordActivity | WithdrawActivity;
