export { toChainMatch, toParticipantFills, toRedeemFills } from './settlement.ts';
export {
  SimVenue,
  type SimVenueOptions,
  type TradeStatus,
  type VenueEvent,
  type VenueTrade,
} from './venue.ts';
