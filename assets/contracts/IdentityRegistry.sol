// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable, ZeroAddress} from "./Governable.sol";

/// @title IdentityRegistry (mock)
/// @notice The owner-editable settings of the platform's IdentityRegistry, with its getters and
/// setters. ENS roots are `bytes32` namehashes, as on the platform.
contract IdentityRegistry is Governable {
    bytes32 public agentRootNode;
    bytes32 public clubRootNode;
    bytes32 public agentMerkleRoot;
    bytes32 public validatorMerkleRoot;
    address public reputationEngine;
    address public attestationRegistry;
    mapping(address => bool) public additionalAgents;
    mapping(address => bool) public additionalValidators;
    mapping(address => string) public agentProfileURI;

    event AgentRootNodeUpdated(bytes32 agentRootNode);
    event ClubRootNodeUpdated(bytes32 clubRootNode);
    event AgentMerkleRootUpdated(bytes32 agentMerkleRoot);
    event ValidatorMerkleRootUpdated(bytes32 validatorMerkleRoot);
    event ReputationEngineUpdated(address reputationEngine);
    event AttestationRegistryUpdated(address attestationRegistry);
    event AdditionalAgentUpdated(address indexed agent, bool allowed);
    event AdditionalValidatorUpdated(address indexed validator, bool allowed);
    event AgentProfileURIUpdated(address agent, string agentProfileURI);

    constructor(address initialOwner) Governable(initialOwner) {}

    function setAgentRootNode(bytes32 node) external onlyOwner {
        agentRootNode = node;
        emit AgentRootNodeUpdated(node);
    }

    function setClubRootNode(bytes32 node) external onlyOwner {
        clubRootNode = node;
        emit ClubRootNodeUpdated(node);
    }

    function setAgentMerkleRoot(bytes32 root) external onlyOwner {
        agentMerkleRoot = root;
        emit AgentMerkleRootUpdated(root);
    }

    function setValidatorMerkleRoot(bytes32 root) external onlyOwner {
        validatorMerkleRoot = root;
        emit ValidatorMerkleRootUpdated(root);
    }

    function setReputationEngine(address reputationEngine_) external onlyOwner {
        reputationEngine = reputationEngine_;
        emit ReputationEngineUpdated(reputationEngine_);
    }

    function setAttestationRegistry(address attestationRegistry_) external onlyOwner {
        attestationRegistry = attestationRegistry_;
        emit AttestationRegistryUpdated(attestationRegistry_);
    }

    function addAdditionalAgent(address agent) external onlyOwner {
        if (agent == address(0)) revert ZeroAddress();
        additionalAgents[agent] = true;
        emit AdditionalAgentUpdated(agent, true);
    }

    /// @notice The catalogue's remover for `additionalAgents`, as on the platform.
    function removeAdditionalAgent(address agent) external onlyOwner {
        additionalAgents[agent] = false;
        emit AdditionalAgentUpdated(agent, false);
    }

    function addAdditionalValidator(address validator) external onlyOwner {
        if (validator == address(0)) revert ZeroAddress();
        additionalValidators[validator] = true;
        emit AdditionalValidatorUpdated(validator, true);
    }

    /// @notice The catalogue's remover for `additionalValidators`, as on the platform.
    function removeAdditionalValidator(address validator) external onlyOwner {
        additionalValidators[validator] = false;
        emit AdditionalValidatorUpdated(validator, false);
    }

    function setAgentProfileURI(address agent, string calldata uri) external onlyOwner {
        agentProfileURI[agent] = uri;
        emit AgentProfileURIUpdated(agent, uri);
    }
}
