// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable} from "./Governable.sol";

/// @dev Raised by `setWindow(0)`: the window is a number of observations above 0.
error InvalidWindow(uint256 window);

/// @title HamiltonianMonitor (mock)
/// @notice The owner-editable settings of the platform's HamiltonianMonitor.
contract HamiltonianMonitor is Governable {
    uint256 public window;
    bool public resetHistory;

    event WindowUpdated(uint256 window);
    event ResetHistoryUpdated(bool resetHistory);

    constructor(address initialOwner) Governable(initialOwner) {}

    function setWindow(uint256 window_) external onlyOwner {
        if (window_ == 0) revert InvalidWindow(window_);
        window = window_;
        emit WindowUpdated(window_);
    }

    /// @notice Not in the catalogue (read-only there); lets a sandbox seed the value.
    function setResetHistory(bool reset) external onlyOwner {
        resetHistory = reset;
        emit ResetHistoryUpdated(reset);
    }
}
