/**
 * The exchanges' trade events as typed viem ABIs (api-reference.md §7.2).
 *
 * V2 (CTF Exchange V2 and NegRisk V2) from the official client's `ExchangeV2` ABI; V1 (legacy) from
 * `ITrading.sol`. Topic0 values are the documented ones; a test recomputes them from these ABIs.
 */
import { type Hex, pad, parseAbi } from 'viem';

export const exchangeV2EventsAbi = parseAbi([
  'event OrderFilled(bytes32 indexed orderHash, address indexed maker, address indexed taker, uint8 side, uint256 tokenId, uint256 makerAmountFilled, uint256 takerAmountFilled, uint256 fee, bytes32 builder, bytes32 metadata)',
  'event OrdersMatched(bytes32 indexed takerOrderHash, address indexed takerOrderMaker, uint8 side, uint256 tokenId, uint256 makerAmountFilled, uint256 takerAmountFilled)',
  'event FeeCharged(address indexed receiver, uint256 amount)',
]);

export const exchangeV1EventsAbi = parseAbi([
  'event OrderFilled(bytes32 indexed orderHash, address indexed maker, address indexed taker, uint256 makerAssetId, uint256 takerAssetId, uint256 makerAmountFilled, uint256 takerAmountFilled, uint256 fee)',
  'event OrdersMatched(bytes32 indexed takerOrderHash, address indexed takerOrderMaker, uint256 makerAssetId, uint256 takerAssetId, uint256 makerAmountFilled, uint256 takerAmountFilled)',
  'event FeeCharged(address indexed receiver, uint256 tokenId, uint256 amount)',
  'event OrderCancelled(bytes32 indexed orderHash)',
]);

/** topic0 of each event, by generation. */
export const EXCHANGE_TOPICS = {
  2: {
    OrderFilled: '0xd543adfd945773f1a62f74f0ee55a5e3b9b1a28262980ba90b1a89f2ea84d8ee',
    OrdersMatched: '0x174b3811690657c217184f89418266767c87e4805d09680c39fc9c031c0cab7c',
    FeeCharged: '0x55bb3cade9d43b798a4fe5ffdd05024b2d7870df53920673bfc7e68047cd0ab1',
  },
  1: {
    OrderFilled: '0xd0a08e8c493f9c94f29311604c9de1b4e8c8d4c06bd0c789af57f2d65bfec0f6',
    OrdersMatched: '0x63bf4d16b7fa898ef4c4b2b6d90fd201e9c56313b65638af6088d149d2ce956c',
  },
} as const;

/**
 * An address as an indexed-topic value (left-padded to 32 bytes, lower case), e.g. to filter
 * `OrderFilled` logs on `maker` (topic 2) when watching one wallet.
 */
export function addressTopic(address: Hex): Hex {
  return pad(address.toLowerCase() as Hex, { size: 32 });
}
