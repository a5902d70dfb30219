// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable, ZeroAddress} from "./Governable.sol";

/// @title EnergyOracle (mock)
/// @notice The platform's EnergyOracle signer set. `signers(address)` is the platform's getter;
/// `getSigners()` lists the current set (kept in step with the mapping) for off-chain tools.
contract EnergyOracle is Governable {
    mapping(address => bool) public signers;

    address[] private _signerList;
    /// @dev 1-based position in `_signerList`; 0 when not a signer.
    mapping(address => uint256) private _signerIndex;

    event SignerUpdated(address indexed signer, bool allowed);

    constructor(address initialOwner) Governable(initialOwner) {}

    function setSigner(address signer, bool allowed) external onlyOwner {
        if (signer == address(0)) revert ZeroAddress();
        if (allowed && _signerIndex[signer] == 0) {
            _signerList.push(signer);
            _signerIndex[signer] = _signerList.length;
        } else if (!allowed && _signerIndex[signer] != 0) {
            // Swap with the last entry and pop.
            uint256 i = _signerIndex[signer] - 1;
            address last = _signerList[_signerList.length - 1];
            _signerList[i] = last;
            _signerIndex[last] = i + 1;
            _signerList.pop();
            delete _signerIndex[signer];
        }
        signers[signer] = allowed;
        emit SignerUpdated(signer, allowed);
    }

    function getSigners() external view returns (address[] memory) {
        return _signerList;
    }
}
