// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable} from "./Governable.sol";

/// @title RewardEngine (mock)
/// @notice The owner-editable settings of the platform's RewardEngineMB, with its getters and setters.
contract RewardEngine is Governable {
    /// @notice The platform's RewardEngineMB.Role: per-role values are read by its number.
    enum Role {
        Agent,
        Validator,
        Operator,
        Employer
    }

    uint256 public kappa;
    uint256 public maxProofs;
    int256 public temperature;
    mapping(Role => int256) public mu;
    mapping(Role => int256) public baselineEnergy;
    address public treasury;
    address public thermostat;

    event KappaUpdated(uint256 kappa);
    event MaxProofsUpdated(uint256 maxProofs);
    event TemperatureUpdated(int256 temperature);
    event MuUpdated(Role role, int256 mu);
    event BaselineEnergyUpdated(Role role, int256 baselineEnergy);
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

    /// @notice The fallback temperature: above 0, as on the platform.
    function setTemperature(int256 temperature_) external onlyOwner {
        require(temperature_ > 0, "temp");
        temperature = temperature_;
        emit TemperatureUpdated(temperature_);
    }

    /// @notice The chemical potential of a role (signed).
    function setMu(Role role, int256 mu_) external onlyOwner {
        mu[role] = mu_;
        emit MuUpdated(role, mu_);
    }

    /// @notice The baseline energy of a role (signed).
    function setBaselineEnergy(Role role, int256 baseline) external onlyOwner {
        baselineEnergy[role] = baseline;
        emit BaselineEnergyUpdated(role, baseline);
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
