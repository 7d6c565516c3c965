/**
 * The ABI of SimExchange.sol, typed for viem. A test checks it against what solc produces, so the
 * two cannot drift apart.
 */
import { parseAbi } from 'viem';

export const simExchangeAbi = parseAbi([
  'struct Fill { bytes32 orderHash; address maker; uint8 side; uint256 tokenId; uint256 makerAmountFilled; uint256 takerAmountFilled; uint256 fee; bytes32 builder; bytes32 metadata; }',
  'constructor(address operator_)',
  'function operator() view returns (address)',
  'function settleMatch(Fill takerFill, Fill[] makerFills)',
  'event OrderFilled(bytes32 indexed orderHash, address indexed maker, address indexed taker, uint8 side, uint256 tokenId, uint256 makerAmountFilled, uint256 takerAmountFilled, uint256 fee, bytes32 builder, bytes32 metadata)',
  'event OrdersMatched(bytes32 indexed takerOrderHash, address indexed takerOrderMaker, uint8 side, uint256 tokenId, uint256 makerAmountFilled, uint256 takerAmountFilled)',
  'error NotOperator(address caller)',
  'error NoMakerFills()',
  'error InvalidSide(uint8 side)',
]);
