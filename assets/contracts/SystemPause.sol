// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable} from "./Governable.sol";

/// @dev What SystemPause needs from a module (see Pausable.sol).
interface IPausableModule {
    function paused() external view returns (bool);
    function pause() external;
    function unpause() external;
}

/// @title SystemPause (mock)
/// @notice Pauses or unpauses every listed module in one call. Each module must name this
/// contract as its `systemPause` (or `pauser`, or be owned by it) for the calls to be allowed.
contract SystemPause is Governable {
    address[] private _modules;

    event PausedAll(address account);
    event UnpausedAll(address account);
    event ModulesUpdated(address[] modules);

    constructor(address initialOwner, address[] memory initialModules) Governable(initialOwner) {
        _modules = initialModules;
        emit ModulesUpdated(initialModules);
    }

    function modules() external view returns (address[] memory) {
        return _modules;
    }

    function setModules(address[] calldata newModules) external onlyOwner {
        _modules = newModules;
        emit ModulesUpdated(newModules);
    }

    /// @notice Pauses each module that is not already paused.
    function pauseAll() external onlyOwner {
        for (uint256 i = 0; i < _modules.length; i++) {
            IPausableModule m = IPausableModule(_modules[i]);
            if (!m.paused()) m.pause();
        }
        emit PausedAll(msg.sender);
    }

    /// @notice Unpauses each module that is paused.
    function unpauseAll() external onlyOwner {
        for (uint256 i = 0; i < _modules.length; i++) {
            IPausableModule m = IPausableModule(_modules[i]);
            if (m.paused()) m.unpause();
        }
        emit UnpausedAll(msg.sender);
    }
}
