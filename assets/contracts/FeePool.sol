// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable, TreasuryNotAllowlisted} from "./Governable.sol";
import {Pausable} from "./Pausable.sol";

/// @title FeePool (mock)
/// @notice The owner-editable settings of the platform's FeePool, with its getters and setters.
contract FeePool is Pausable {
    /// @notice The platform's IStakeManager.Role: `rewardRole()` returns it as a uint8.
    enum Role {
        Agent,
        Validator,
        Platform
    }

    uint256 public burnPct;
    address public treasury;
    mapping(address => bool) public treasuryAllowlist;
    mapping(address => bool) public rewarders;
    address public governance;
    address public taxPolicy;
    address public stakeManager;
    Role public rewardRole;

    event BurnPctUpdated(uint256 burnPct);
    event TreasuryUpdated(address treasury);
    event TreasuryAllowlistUpdated(address indexed treasury, bool allowed);
    event RewarderUpdated(address indexed rewarder, bool allowed);
    event GovernanceUpdated(address governance);
    event TaxPolicyUpdated(address taxPolicy);
    event StakeManagerUpdated(address stakeManager);
    event RewardRoleUpdated(Role rewardRole);

    constructor(address initialOwner) Governable(initialOwner) {}

    function setBurnPct(uint256 pct) external onlyOwner {
        _checkPct(pct);
        burnPct = pct;
        emit BurnPctUpdated(pct);
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

    function setRewarder(address rewarder, bool allowed) external onlyOwner {
        rewarders[rewarder] = allowed;
        emit RewarderUpdated(rewarder, allowed);
    }

    function setGovernance(address governance_) external onlyOwner {
        governance = governance_;
        emit GovernanceUpdated(governance_);
    }

    function setTaxPolicy(address taxPolicy_) external onlyOwner {
        taxPolicy = taxPolicy_;
        emit TaxPolicyUpdated(taxPolicy_);
    }

    function setStakeManager(address stakeManager_) external onlyOwner {
        stakeManager = stakeManager_;
        emit StakeManagerUpdated(stakeManager_);
    }

    /// @notice Which stakers share the fees; a number beyond the enum reverts, as on the platform.
    function setRewardRole(Role rewardRole_) external onlyOwner {
        rewardRole = rewardRole_;
        emit RewardRoleUpdated(rewardRole_);
    }
}
