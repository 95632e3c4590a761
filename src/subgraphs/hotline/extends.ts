import { entityStub, type Stub } from '../../kit/extends';
import { isPersonKey } from '../../shared/personKey';

/* Other departments' entities hotline points to or adds fields to: only the key lives here. */

/** A resident (owned by grid); hotline's records point to the person by key. */
export const Person = entityStub('Person', 'id', {
  description: "A resident (owned by grid); hotline's records point to the person by key.",
  isKey: isPersonKey,
});
export type Person = Stub<typeof Person>;

/** A district or township (owned by grid); hotline's records point to it by code. */
export const District = entityStub('District', 'code', { description: "A district or township (owned by grid); hotline's records point to it by code." });
export type District = Stub<typeof District>;

export const hotlineExtends = [Person, District];
