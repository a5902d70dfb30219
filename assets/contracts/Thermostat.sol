// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable} from "./Governable.sol";

/// @dev Raised by the bound setters: min must be above 0 (temperature only) and below max.
error InvalidBounds(int256 min, int256 max);

/// @title Thermostat (mock)
/// @notice The owner-editable settings of the platform's Thermostat (a PID controller), with its
/// getters. The grouped setters (`setTemperatureBounds`, `setPID`, `setKPIWeights`,
/// `setIntegralBounds`) are the platform's; the catalogue reads those values only.
contract Thermostat is Governable {
    /// @notice The platform's Thermostat.Role.
    enum Role {
        Agent,
        Validator,
        Operator,
        Employer
    }

    int256 public systemTemperature;
    int256 public minTemp;
    int256 public maxTemp;
    int256 public kp;
    int256 public ki;
    int256 public kd;
    int256 public wEmission;
    int256 public wBacklog;
    int256 public wSla;
    int256 public integralMin;
    int256 public integralMax;
    mapping(Role => int256) private _roleTemps;

    event SystemTemperatureUpdated(int256 systemTemperature);
    event TemperatureBoundsUpdated(int256 minTemp, int256 maxTemp);
    event PIDUpdated(int256 kp, int256 ki, int256 kd);
    event KPIWeightsUpdated(int256 wEmission, int256 wBacklog, int256 wSla);
    event IntegralBoundsUpdated(int256 integralMin, int256 integralMax);
    event RoleTemperatureUpdated(Role role, int256 temp);

    constructor(address initialOwner) Governable(initialOwner) {}

    function setSystemTemperature(int256 temp) external onlyOwner {
        systemTemperature = temp;
        emit SystemTemperatureUpdated(temp);
    }

    function setTemperatureBounds(int256 min, int256 max) external onlyOwner {
        if (min <= 0 || max <= min) revert InvalidBounds(min, max);
        minTemp = min;
        maxTemp = max;
        emit TemperatureBoundsUpdated(min, max);
    }

    function setPID(int256 kp_, int256 ki_, int256 kd_) external onlyOwner {
        kp = kp_;
        ki = ki_;
        kd = kd_;
        emit PIDUpdated(kp_, ki_, kd_);
    }

    function setKPIWeights(int256 emission, int256 backlog, int256 sla) external onlyOwner {
        wEmission = emission;
        wBacklog = backlog;
        wSla = sla;
        emit KPIWeightsUpdated(emission, backlog, sla);
    }

    /// @notice A role's own temperature, above 0. (The platform also holds it within the
    /// bounds; the mock does not, so that a sandbox may seed it before the bounds.)
    function setRoleTemperature(Role role, int256 temp) external onlyOwner {
        require(temp > 0, "bounds");
        _roleTemps[role] = temp;
        emit RoleTemperatureUpdated(role, temp);
    }

    /// @notice A role's temperature: its own, or the system's when it has none.
    function getRoleTemperature(Role role) external view returns (int256) {
        int256 temp = _roleTemps[role];
        return temp == 0 ? systemTemperature : temp;
    }

    function setIntegralBounds(int256 min, int256 max) external onlyOwner {
        if (max <= min) revert InvalidBounds(min, max);
        integralMin = min;
        integralMax = max;
        emit IntegralBoundsUpdated(min, max);
    }
}
