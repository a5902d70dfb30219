// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable, InvalidPercentage, TreasuryNotAllowlisted} from "./Governable.sol";
import {Pausable} from "./Pausable.sol";

/// @title StakeManager (mock)
/// @notice The owner-editable settings of the platform's StakeManager, with its getters and setters.
contract StakeManager is Pausable {
    uint256 public minStake;
    uint256 public employerSlashPct;
    uint256 public treasurySlashPct;
    uint256 public validatorSlashRewardPct;
    uint256 public feePct;
    uint256 public burnPct;
    uint256 public validatorRewardPct;
    address public treasury;
    mapping(address => bool) public treasuryAllowlist;
    uint256 public unbondingPeriod;
    uint256 public maxStakePerAddress;
    address public jobRegistry;
    address public disputeModule;
    address public validationModule;
    address public thermostat;
    address public hamiltonianFeed;
    address public feePool;
    uint256 public maxAGITypes;
    uint256 public maxTotalPayoutPct;
    bool public autoStakeTuning;
    uint256 public stakeDisputeThreshold;
    uint256 public stakeIncreasePct;
    uint256 public stakeDecreasePct;
    uint256 public stakeTuneWindow;
    uint256 public minStakeFloor;
    uint256 public maxMinStake;
    int256 public stakeTempThreshold;
    int256 public stakeHamiltonianThreshold;
    uint256 public disputeWeight;
    uint256 public temperatureWeight;
    uint256 public hamiltonianWeight;

    event MinStakeUpdated(uint256 minStake);
    event SlashingPercentagesUpdated(uint256 employerSlashPct, uint256 treasurySlashPct);
    event ValidatorSlashRewardPctUpdated(uint256 validatorSlashRewardPct);
    event FeePctUpdated(uint256 feePct);
    event BurnPctUpdated(uint256 burnPct);
    event ValidatorRewardPctUpdated(uint256 validatorRewardPct);
    event TreasuryUpdated(address treasury);
    event TreasuryAllowlistUpdated(address indexed treasury, bool allowed);
    event UnbondingPeriodUpdated(uint256 unbondingPeriod);
    event MaxStakePerAddressUpdated(uint256 maxStakePerAddress);
    event JobRegistryUpdated(address jobRegistry);
    event DisputeModuleUpdated(address disputeModule);
    event ValidationModuleUpdated(address validationModule);
    event ThermostatUpdated(address thermostat);
    event HamiltonianFeedUpdated(address hamiltonianFeed);
    event FeePoolUpdated(address feePool);
    event MaxAGITypesUpdated(uint256 maxAGITypes);
    event MaxTotalPayoutPctUpdated(uint256 maxTotalPayoutPct);
    event AutoStakeTuningEnabled(bool enabled);
    event AutoStakeConfigUpdated(
        uint256 threshold,
        uint256 increasePct,
        uint256 decreasePct,
        uint256 window,
        uint256 floor,
        uint256 ceil,
        int256 temperatureThreshold,
        int256 hamiltonianThreshold,
        uint256 disputeWeight,
        uint256 temperatureWeight,
        uint256 hamiltonianWeight
    );

    constructor(address initialOwner) Governable(initialOwner) {}

    function setMinStake(uint256 stake) external onlyOwner {
        minStake = stake;
        emit MinStakeUpdated(stake);
    }

    /// @notice The catalogue's setter of all three slashing shares at once: whole percents
    /// (sum <= 100) or, as on the platform, basis points (sum exactly 10,000), stored as given.
    function setSlashingDistribution(uint256 employerPct, uint256 treasuryPct, uint256 validatorPct)
        external
        onlyOwner
    {
        uint256 total = employerPct + treasuryPct + validatorPct;
        if (total != 10_000) _checkSlashTotal(total);
        employerSlashPct = employerPct;
        treasurySlashPct = treasuryPct;
        validatorSlashRewardPct = validatorPct;
        emit SlashingPercentagesUpdated(employerPct, treasuryPct);
        emit ValidatorSlashRewardPctUpdated(validatorPct);
    }

    /// @notice Not in the catalogue (read-only there). Employer + treasury + validator shares <= 100.
    function setSlashingPercentages(uint256 employerPct, uint256 treasuryPct) external onlyOwner {
        _checkSlashTotal(employerPct + treasuryPct + validatorSlashRewardPct);
        employerSlashPct = employerPct;
        treasurySlashPct = treasuryPct;
        emit SlashingPercentagesUpdated(employerPct, treasuryPct);
    }

    /// @notice Not in the catalogue (read-only there). Employer + treasury + validator shares <= 100.
    function setValidatorSlashRewardPct(uint256 pct) external onlyOwner {
        _checkSlashTotal(employerSlashPct + treasurySlashPct + pct);
        validatorSlashRewardPct = pct;
        emit ValidatorSlashRewardPctUpdated(pct);
    }

    function setFeePct(uint256 pct) external onlyOwner {
        _checkPct(pct);
        feePct = pct;
        emit FeePctUpdated(pct);
    }

    function setBurnPct(uint256 pct) external onlyOwner {
        _checkPct(pct);
        burnPct = pct;
        emit BurnPctUpdated(pct);
    }

    /// @notice As on the platform: a new validator reward also becomes the validator's share of
    /// a slash (validatorSlashRewardPct), overwriting what setSlashingDistribution set.
    function setValidatorRewardPct(uint256 pct) external onlyOwner {
        _checkPct(pct);
        uint256 previous = validatorRewardPct;
        validatorRewardPct = pct;
        emit ValidatorRewardPctUpdated(pct);
        if (pct != previous) {
            validatorSlashRewardPct = pct;
            emit ValidatorSlashRewardPctUpdated(pct);
        }
    }

    /// @notice The treasury must not be zero nor the owner, and must be allowlisted first.
    function setTreasury(address treasury_) external onlyOwner {
        _checkTreasury(treasury_);
        if (!treasuryAllowlist[treasury_]) revert TreasuryNotAllowlisted(treasury_);
        treasury = treasury_;
        emit TreasuryUpdated(treasury_);
    }

    function setTreasuryAllowlist(address treasury_, bool allowed) external onlyOwner {
        treasuryAllowlist[treasury_] = allowed;
        emit TreasuryAllowlistUpdated(treasury_, allowed);
    }

    function setUnbondingPeriod(uint256 period) external onlyOwner {
        unbondingPeriod = period;
        emit UnbondingPeriodUpdated(period);
    }

    function setMaxStakePerAddress(uint256 maxStake) external onlyOwner {
        maxStakePerAddress = maxStake;
        emit MaxStakePerAddressUpdated(maxStake);
    }

    function setJobRegistry(address jobRegistry_) external onlyOwner {
        jobRegistry = jobRegistry_;
        emit JobRegistryUpdated(jobRegistry_);
    }

    function setDisputeModule(address disputeModule_) external onlyOwner {
        disputeModule = disputeModule_;
        emit DisputeModuleUpdated(disputeModule_);
    }

    function setValidationModule(address validationModule_) external onlyOwner {
        validationModule = validationModule_;
        emit ValidationModuleUpdated(validationModule_);
    }

    function setThermostat(address thermostat_) external onlyOwner {
        thermostat = thermostat_;
        emit ThermostatUpdated(thermostat_);
    }

    function setHamiltonianFeed(address hamiltonianFeed_) external onlyOwner {
        hamiltonianFeed = hamiltonianFeed_;
        emit HamiltonianFeedUpdated(hamiltonianFeed_);
    }

    function setFeePool(address feePool_) external onlyOwner {
        feePool = feePool_;
        emit FeePoolUpdated(feePool_);
    }

    function setMaxAGITypes(uint256 maxTypes) external onlyOwner {
        maxAGITypes = maxTypes;
        emit MaxAGITypesUpdated(maxTypes);
    }

    /// @notice As on the platform: from 100 to 200 percent.
    function setMaxTotalPayoutPct(uint256 pct) external onlyOwner {
        if (pct < 100 || pct > 200) revert InvalidPercentage(pct);
        maxTotalPayoutPct = pct;
        emit MaxTotalPayoutPctUpdated(pct);
    }

    function autoTuneStakes(bool enabled) external onlyOwner {
        autoStakeTuning = enabled;
        emit AutoStakeTuningEnabled(enabled);
    }

    /// @notice As on the platform: a percent above 100 reverts; a zero window or floor leaves
    /// the current one.
    function configureAutoStake(
        uint256 threshold,
        uint256 upPct,
        uint256 downPct,
        uint256 window,
        uint256 floor,
        uint256 ceil,
        int256 tempThreshold,
        int256 hThreshold,
        uint256 disputeW,
        uint256 tempW,
        uint256 hamW
    ) external onlyOwner {
        if (upPct > 100) revert InvalidPercentage(upPct);
        if (downPct > 100) revert InvalidPercentage(downPct);
        stakeDisputeThreshold = threshold;
        stakeIncreasePct = upPct;
        stakeDecreasePct = downPct;
        if (window > 0) stakeTuneWindow = window;
        if (floor > 0) minStakeFloor = floor;
        maxMinStake = ceil;
        stakeTempThreshold = tempThreshold;
        stakeHamiltonianThreshold = hThreshold;
        disputeWeight = disputeW;
        temperatureWeight = tempW;
        hamiltonianWeight = hamW;
        emit AutoStakeConfigUpdated(
            threshold, upPct, downPct, window, floor, ceil, tempThreshold, hThreshold, disputeW, tempW, hamW
        );
    }

    function _checkSlashTotal(uint256 total) private pure {
        if (total > 100) revert InvalidPercentage(total);
    }
}
