// The closed lists of the contract (roles, channels, kinds), for the web app as for the API: one
// definition (db/constants.ts), which the schema's checks use too.
export { CHANNELS, KINDS, ROLES, TEAM_KINDS, type Channel, type Kind, type Role } from '../../db/constants';
