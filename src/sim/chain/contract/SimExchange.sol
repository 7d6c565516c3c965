// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title The simulator's stand-in for Polymarket's CTF Exchange V2 (and its neg-risk twin).
/// @notice It moves no tokens. The simulator's matching engine has already decided a match; this
/// contract only publishes it the way the real exchange's `matchOrders` does: one `OrderFilled`
/// per maker order (taker = the taker order's maker), one `OrderFilled` for the taker order
/// (taker = this exchange), then `OrdersMatched`. Its runtime code is placed at the real exchange
/// addresses, so `address(this)` is the real exchange address.
contract SimExchange {
    /// Same signature, indexing and data layout as the real V2 exchange's event.
    event OrderFilled(
        bytes32 indexed orderHash,
        address indexed maker,
        address indexed taker,
        uint8 side,
        uint256 tokenId,
        uint256 makerAmountFilled,
        uint256 takerAmountFilled,
        uint256 fee,
        bytes32 builder,
        bytes32 metadata
    );

    /// Same as the real V2 exchange: the taker order's side, token and amounts (fee excluded).
    event OrdersMatched(
        bytes32 indexed takerOrderHash,
        address indexed takerOrderMaker,
        uint8 side,
        uint256 tokenId,
        uint256 makerAmountFilled,
        uint256 takerAmountFilled
    );

    /// One order's part in a match, seen from that order's maker (0 = BUY, 1 = SELL).
    struct Fill {
        bytes32 orderHash;
        address maker;
        uint8 side;
        uint256 tokenId;
        uint256 makerAmountFilled;
        uint256 takerAmountFilled;
        uint256 fee;
        bytes32 builder;
        bytes32 metadata;
    }

    error NotOperator(address caller);
    error NoMakerFills();
    error InvalidSide(uint8 side);

    /// The simulator's account: the only caller allowed to publish fills. Immutable, so it lives
    /// in the runtime code (patched in before the code is placed) and needs no storage.
    address public immutable operator;

    constructor(address operator_) {
        operator = operator_;
    }

    /// Publishes one match: every maker order's fill, then the taker order's fill.
    function settleMatch(Fill calldata takerFill, Fill[] calldata makerFills) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (makerFills.length == 0) revert NoMakerFills();
        for (uint256 i = 0; i < makerFills.length; i++) {
            _emitFilled(makerFills[i], takerFill.maker);
        }
        _emitFilled(takerFill, address(this));
        emit OrdersMatched(
            takerFill.orderHash,
            takerFill.maker,
            takerFill.side,
            takerFill.tokenId,
            takerFill.makerAmountFilled,
            takerFill.takerAmountFilled
        );
    }

    function _emitFilled(Fill calldata f, address taker) private {
        if (f.side > 1) revert InvalidSide(f.side);
        emit OrderFilled(
            f.orderHash,
            f.maker,
            taker,
            f.side,
            f.tokenId,
            f.makerAmountFilled,
            f.takerAmountFilled,
            f.fee,
            f.builder,
            f.metadata
        );
    }
}
