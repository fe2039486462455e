/** Request bodies the HTTP tests share. */
export const handoverBody = (over: Record<string, unknown> = {}) => ({
  kind: 'HANDOVER',
  provinceCode: '20',
  occurredOn: '2020-06-12',
  crossingCode: 'LS-HUU-NGHI',
  counterpartCodes: ['GX-YYG-EI'],
  vi: { title: 'Biên bản tiếp nhận nạn nhân bị mua bán', body: 'Phía Trung Quốc bàn giao 02 công dân Việt Nam là nạn nhân bị mua bán.' },
  handover: { direction: 'RECEIVED_FROM_CHINA', category: 'TRAFFICKING_VICTIM', count: 2, minutesNumber: '07/BB-BGCD', minutesSignedOn: '2020-06-12' },
  persons: [
    { fullName: 'Lục Thị Hoa', birthYear: 2001 },
    { fullName: 'Hoàng Thị Lan', birthYear: 1999 },
  ],
  ...over,
});
