// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable, ZeroAddress} from "./Governable.sol";

/// @title IdentityRegistry (mock)
/// @notice The owner-editable settings of the platform's IdentityRegistry, with its getters and
/// setters. ENS roots are `bytes32` namehashes, as on the platform.
contract IdentityRegistry is Governable {
    bytes32 public agentRootNode;
    bytes32 public clubRootNode;
    bytes32 public nodeRootNode;
    bytes32 public agentMerkleRoot;
    bytes32 public validatorMerkleRoot;
    address public reputationEngine;
    address public attestationRegistry;
    mapping(address => bool) public additionalAgents;
    mapping(address => bool) public additionalValidators;
    mapping(address => string) public agentProfileURI;

    event AgentRootNodeUpdated(bytes32 agentRootNode);
    event ClubRootNodeUpdated(bytes32 clubRootNode);
    event NodeRootNodeUpdated(bytes32 nodeRootNode);
    event AgentRootNodeAliasUpdated(bytes32 indexed node, bool allowed);
    event ClubRootNodeAliasUpdated(bytes32 indexed node, bool allowed);
    event NodeRootNodeAliasUpdated(bytes32 indexed node, bool allowed);

    /// @notice A root node's aliases, listed by their getter as on the platform.
    struct Aliases {
        bytes32[] nodes;
        mapping(bytes32 => uint256) place; // 1 + index in nodes; 0 when absent
    }

    Aliases private agentAliases;
    Aliases private clubAliases;
    Aliases private nodeAliases;
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

    function setNodeRootNode(bytes32 node) external onlyOwner {
        nodeRootNode = node;
        emit NodeRootNodeUpdated(node);
    }

    function getAgentRootNodeAliases() external view returns (bytes32[] memory) {
        return agentAliases.nodes;
    }

    function getClubRootNodeAliases() external view returns (bytes32[] memory) {
        return clubAliases.nodes;
    }

    function getNodeRootNodeAliases() external view returns (bytes32[] memory) {
        return nodeAliases.nodes;
    }

    function addAgentRootNodeAlias(bytes32 node) external onlyOwner {
        _add(agentAliases, node);
        emit AgentRootNodeAliasUpdated(node, true);
    }

    function removeAgentRootNodeAlias(bytes32 node) external onlyOwner {
        _remove(agentAliases, node);
        emit AgentRootNodeAliasUpdated(node, false);
    }

    function addClubRootNodeAlias(bytes32 node) external onlyOwner {
        _add(clubAliases, node);
        emit ClubRootNodeAliasUpdated(node, true);
    }

    function removeClubRootNodeAlias(bytes32 node) external onlyOwner {
        _remove(clubAliases, node);
        emit ClubRootNodeAliasUpdated(node, false);
    }

    function addNodeRootNodeAlias(bytes32 node) external onlyOwner {
        _add(nodeAliases, node);
        emit NodeRootNodeAliasUpdated(node, true);
    }

    function removeNodeRootNodeAlias(bytes32 node) external onlyOwner {
        _remove(nodeAliases, node);
        emit NodeRootNodeAliasUpdated(node, false);
    }

    function _add(Aliases storage set, bytes32 node) private {
        if (set.place[node] != 0) return;
        set.nodes.push(node);
        set.place[node] = set.nodes.length;
    }

    function _remove(Aliases storage set, bytes32 node) private {
        uint256 place = set.place[node];
        if (place == 0) return;
        bytes32 last = set.nodes[set.nodes.length - 1];
        set.nodes[place - 1] = last;
        set.place[last] = place;
        set.nodes.pop();
        delete set.place[node];
    }
}
