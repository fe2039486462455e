import type { SupportModelActivityLogged, SupportModelDeactivated, SupportModelFounded, SupportModelReactivated } from './support-model.events';

export type FoundSupportModel = { readonly type: 'FoundSupportModel'; readonly data: SupportModelFounded['data'] };
export type DeactivateSupportModel = { readonly type: 'DeactivateSupportModel'; readonly data: SupportModelDeactivated['data'] };
export type ReactivateSupportModel = { readonly type: 'ReactivateSupportModel'; readonly data: SupportModelReactivated['data'] };
export type LogSupportModelActivity = { readonly type: 'LogSupportModelActivity'; readonly data: SupportModelActivityLogged['data'] };

export type SupportModelCommand = FoundSupportModel | DeactivateSupportModel | ReactivateSupportModel | LogSupportModelActivity;
