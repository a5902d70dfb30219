// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable} from "./Governable.sol";

/// @dev Raised by `pause`/`unpause` for a caller that is not the owner, the pauser or SystemPause.
error NotPauser(address caller);
/// @dev OpenZeppelin's names: `pause` while paused, `unpause` while not paused.
error EnforcedPause();
error ExpectedPause();

/// @title Pausable
/// @notice A module that the owner, its `pauser` or the `systemPause` contract can pause.
/// Events are OpenZeppelin's: `Paused(address account)`, `Unpaused(address account)`.
abstract contract Pausable is Governable {
    bool public paused;
    address public pauser;
    address public systemPause;

    event Paused(address account);
    event Unpaused(address account);
    event PauserUpdated(address pauser);
    event SystemPauseUpdated(address systemPause);

    modifier onlyPauser() {
        if (msg.sender != owner && msg.sender != pauser && msg.sender != systemPause) {
            revert NotPauser(msg.sender);
        }
        _;
    }

    function pause() external onlyPauser {
        if (paused) revert EnforcedPause();
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyPauser {
        if (!paused) revert ExpectedPause();
        paused = false;
        emit Unpaused(msg.sender);
    }

    function setPauser(address pauser_) external onlyOwner {
        pauser = pauser_;
        emit PauserUpdated(pauser_);
    }

    function setSystemPause(address systemPause_) external onlyOwner {
        systemPause = systemPause_;
        emit SystemPauseUpdated(systemPause_);
    }
}
