// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable} from "./Governable.sol";

/// @dev Raised by `setWindow(0)`: the window is a number of observations above 0.
error InvalidWindow(uint256 window);

/// @title HamiltonianMonitor (mock)
/// @notice The owner-editable settings of the platform's HamiltonianMonitor.
contract HamiltonianMonitor is Governable {
    uint256 public window;
    /// @notice How many times the history was cleared (the mock keeps no observations).
    uint256 public resets;

    /// @dev The platform's events: the window before and after, and whether the history was
    /// cleared; `HistoryReset` carries the mock's count of resets.
    event WindowUpdated(uint256 previous, uint256 window, bool resetHistory);
    event HistoryReset(uint256 resets);

    constructor(address initialOwner) Governable(initialOwner) {}

    /// @notice As the platform's: the window, and whether to clear the history with it.
    function setWindow(uint256 window_, bool resetHistory_) external onlyOwner {
        if (window_ == 0) revert InvalidWindow(window_);
        uint256 previous = window;
        window = window_;
        emit WindowUpdated(previous, window_, resetHistory_);
        if (resetHistory_) _reset();
    }

    /// @notice An action, not a setting: clears the history.
    function resetHistory() external onlyOwner {
        _reset();
    }

    function _reset() private {
        resets += 1;
        emit HistoryReset(resets);
    }
}
