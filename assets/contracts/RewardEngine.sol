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
    /// @notice Each role's share of an epoch's rewards, a fraction scaled by 1e18.
    mapping(Role => uint256) public roleShare;
    address public treasury;
    address public thermostat;

    event KappaUpdated(uint256 kappa);
    event MaxProofsUpdated(uint256 maxProofs);
    event TemperatureUpdated(int256 temperature);
    event MuUpdated(Role role, int256 mu);
    event BaselineEnergyUpdated(Role role, int256 baselineEnergy);
    event TreasuryUpdated(address treasury);
    event RoleShareUpdated(Role indexed role, uint256 share);

    /// @notice The platform's error for shares that do not sum to 1e18.
    error InvalidRoleShareSum(uint256 sum);
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

    /// @notice All four shares at once; as on the platform, they must sum to exactly 1e18.
    function setRoleShares(uint256 agentShare, uint256 validatorShare, uint256 operatorShare, uint256 employerShare)
        external
        onlyOwner
    {
        uint256 sum = agentShare + validatorShare + operatorShare + employerShare;
        if (sum != 1e18) revert InvalidRoleShareSum(sum);
        roleShare[Role.Agent] = agentShare;
        roleShare[Role.Validator] = validatorShare;
        roleShare[Role.Operator] = operatorShare;
        roleShare[Role.Employer] = employerShare;
        emit RoleShareUpdated(Role.Agent, agentShare);
        emit RoleShareUpdated(Role.Validator, validatorShare);
        emit RoleShareUpdated(Role.Operator, operatorShare);
        emit RoleShareUpdated(Role.Employer, employerShare);
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
