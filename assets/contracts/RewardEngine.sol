// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable} from "./Governable.sol";

/// @title RewardEngine (mock)
/// @notice The owner-editable settings of the platform's RewardEngineMB, with its getters and setters.
contract RewardEngine is Governable {
    uint256 public kappa;
    uint256 public maxProofs;
    uint256 public temperature;
    address public treasury;
    address public thermostat;

    event KappaUpdated(uint256 kappa);
    event MaxProofsUpdated(uint256 maxProofs);
    event TemperatureUpdated(uint256 temperature);
    event TreasuryUpdated(address treasury);
    event ThermostatUpdated(address thermostat);

    constructor(address initialOwner) Governable(initialOwner) {}

    function setKappa(uint256 kappa_) external onlyOwner {
        kappa = kappa_;
        emit KappaUpdated(kappa_);
    }

    function setMaxProofs(uint256 maxProofs_) external onlyOwner {
        maxProofs = maxProofs_;
        emit MaxProofsUpdated(maxProofs_);
    }

    /// @notice Not in the catalogue (read-only there); lets a sandbox seed the value.
    function setTemperature(uint256 temperature_) external onlyOwner {
        temperature = temperature_;
        emit TemperatureUpdated(temperature_);
    }

    /// @notice The treasury must not be zero nor the owner.
    function setTreasury(address treasury_) external onlyOwner {
        _checkTreasury(treasury_);
        treasury = treasury_;
        emit TreasuryUpdated(treasury_);
    }

    function setThermostat(address thermostat_) external onlyOwner {
        thermostat = thermostat_;
        emit ThermostatUpdated(thermostat_);
    }
}
