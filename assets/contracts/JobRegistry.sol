// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable} from "./Governable.sol";
import {Pausable} from "./Pausable.sol";

/// @title JobRegistry (mock)
/// @notice The owner-editable settings of the platform's JobRegistry, with its getters and setters.
contract JobRegistry is Pausable {
    uint256 public feePct;
    uint256 public validatorRewardPct;
    /// @dev Set through `setJobStake(uint96)`, read as uint256, as on the platform.
    uint96 public jobStake;
    uint96 public minAgentStake;
    uint256 public maxJobReward;
    /// @dev Set through `setJobDurationLimit(uint256)`.
    uint256 public maxJobDuration;
    uint256 public maxActiveJobsPerAgent;
    uint256 public expirationGracePeriod;
    address public treasury;
    address public taxPolicy;
    mapping(address => bool) public acknowledgers;
    address public identityRegistry;
    address public disputeModule;
    address public validationModule;
    address public stakeManager;
    address public reputationEngine;
    address public certificateNFT;
    address public feePool;

    event FeePctUpdated(uint256 feePct);
    event ValidatorRewardPctUpdated(uint256 validatorRewardPct);
    event JobStakeUpdated(uint96 jobStake);
    event MinAgentStakeUpdated(uint256 minAgentStake);
    event MaxJobRewardUpdated(uint256 maxJobReward);
    event JobDurationLimitUpdated(uint256 limit);
    event MaxActiveJobsPerAgentUpdated(uint256 maxActiveJobsPerAgent);
    event ExpirationGracePeriodUpdated(uint256 expirationGracePeriod);
    event TreasuryUpdated(address treasury);
    event TaxPolicyUpdated(address taxPolicy);
    event AcknowledgerUpdated(address indexed acknowledger, bool allowed);
    event IdentityRegistryUpdated(address identityRegistry);
    event DisputeModuleUpdated(address disputeModule);
    event ValidationModuleUpdated(address validationModule);
    event StakeManagerUpdated(address stakeManager);
    event ReputationEngineUpdated(address reputationEngine);
    event CertificateNFTUpdated(address certificateNFT);
    event FeePoolUpdated(address feePool);

    constructor(address initialOwner) Governable(initialOwner) {}

    function setFeePct(uint256 pct) external onlyOwner {
        _checkPct(pct);
        feePct = pct;
        emit FeePctUpdated(pct);
    }

    function setValidatorRewardPct(uint256 pct) external onlyOwner {
        _checkPct(pct);
        validatorRewardPct = pct;
        emit ValidatorRewardPctUpdated(pct);
    }

    function setJobStake(uint96 stake) external onlyOwner {
        jobStake = stake;
        emit JobStakeUpdated(stake);
    }

    /// @notice Kept as a uint96, as on the platform: a larger stake reverts.
    function setMinAgentStake(uint256 stake) external onlyOwner {
        require(stake <= type(uint96).max, "stake");
        minAgentStake = uint96(stake);
        emit MinAgentStakeUpdated(stake);
    }

    function setMaxJobReward(uint256 maxReward) external onlyOwner {
        maxJobReward = maxReward;
        emit MaxJobRewardUpdated(maxReward);
    }

    function setJobDurationLimit(uint256 limit) external onlyOwner {
        maxJobDuration = limit;
        emit JobDurationLimitUpdated(limit);
    }

    function setMaxActiveJobsPerAgent(uint256 limit) external onlyOwner {
        maxActiveJobsPerAgent = limit;
        emit MaxActiveJobsPerAgentUpdated(limit);
    }

    function setExpirationGracePeriod(uint256 period) external onlyOwner {
        expirationGracePeriod = period;
        emit ExpirationGracePeriodUpdated(period);
    }

    /// @notice The treasury must not be zero nor the owner.
    function setTreasury(address treasury_) external onlyOwner {
        _checkTreasury(treasury_);
        treasury = treasury_;
        emit TreasuryUpdated(treasury_);
    }

    function setTaxPolicy(address taxPolicy_) external onlyOwner {
        taxPolicy = taxPolicy_;
        emit TaxPolicyUpdated(taxPolicy_);
    }

    function setAcknowledger(address acknowledger, bool allowed) external onlyOwner {
        acknowledgers[acknowledger] = allowed;
        emit AcknowledgerUpdated(acknowledger, allowed);
    }

    function setIdentityRegistry(address identityRegistry_) external onlyOwner {
        identityRegistry = identityRegistry_;
        emit IdentityRegistryUpdated(identityRegistry_);
    }

    function setDisputeModule(address disputeModule_) external onlyOwner {
        disputeModule = disputeModule_;
        emit DisputeModuleUpdated(disputeModule_);
    }

    function setValidationModule(address validationModule_) external onlyOwner {
        validationModule = validationModule_;
        emit ValidationModuleUpdated(validationModule_);
    }

    function setStakeManager(address stakeManager_) external onlyOwner {
        stakeManager = stakeManager_;
        emit StakeManagerUpdated(stakeManager_);
    }

    function setReputationEngine(address reputationEngine_) external onlyOwner {
        reputationEngine = reputationEngine_;
        emit ReputationEngineUpdated(reputationEngine_);
    }

    function setCertificateNFT(address certificateNFT_) external onlyOwner {
        certificateNFT = certificateNFT_;
        emit CertificateNFTUpdated(certificateNFT_);
    }

    function setFeePool(address feePool_) external onlyOwner {
        feePool = feePool_;
        emit FeePoolUpdated(feePool_);
    }
}
