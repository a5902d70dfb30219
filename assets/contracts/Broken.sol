// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Broken
/// @notice Getters that always revert, for testing how a tool reports a getter that reverts.
contract Broken {
    function burnPct() external pure returns (uint256) {
        revert("broken on purpose");
    }

    function paused() external pure returns (bool) {
        revert("broken on purpose");
    }
}
