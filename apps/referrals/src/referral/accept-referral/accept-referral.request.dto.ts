/** Nothing to send: who accepts is your agency (token), the day is today. Any field is refused (400). */
export class AcceptReferralRequestDto {}
