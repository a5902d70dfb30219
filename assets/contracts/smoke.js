#!/usr/bin/env node
// Smoke test of the mock contracts on a local anvil (from node_modules):
//   node assets/contracts/smoke.js
// Starts anvil on a free port, deploys every contract in build/ with ethers, checks each
// catalogue getter/setter pair (config/catalogue.toml) and the platform behaviours the tools
// rely on, prints one line per check, stops anvil by its PID and exits non-zero on any failure.
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawn } = require('child_process');
const { ethers } = require('ethers');

const ROOT = path.resolve(__dirname, '..', '..');
const BUILD = path.join(__dirname, 'build');
const CATALOGUE = path.join(ROOT, 'config', 'catalogue.toml');
const ANVIL = path.join(ROOT, 'node_modules', '@foundry-rs', 'anvil-linux-amd64', 'bin', 'anvil');
const REASON = 'broken on purpose';

let anvil = null;
let anvilLog = '';

// ---------------------------------------------------------------------------------------------
// anvil

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function rpc(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function startAnvil() {
  if (!fs.existsSync(ANVIL)) throw new Error(`anvil not found at ${ANVIL} (run npm ci)`);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    anvilLog = '';
    const child = spawn(ANVIL, ['--host', '127.0.0.1', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    anvil = child;
    let exited = null;
    child.on('exit', (code, signal) => { exited = { code, signal }; });
    child.on('error', (e) => { exited = { error: e }; });
    child.stdout.on('data', (d) => { anvilLog += d; });
    child.stderr.on('data', (d) => { anvilLog += d; });

    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !exited) {
      try {
        const chainId = await rpc(url, 'eth_chainId');
        return { url, port, chainId: BigInt(chainId), pid: child.pid };
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (!exited) {
      await stopAnvil();
      throw new Error(`anvil did not answer eth_chainId on ${url} within 30 s\n${anvilLog}`);
    }
    process.stderr.write(`anvil exited early on port ${port} (attempt ${attempt}): ${JSON.stringify(exited)}\n${anvilLog}\n`);
    anvil = null;
  }
  throw new Error('anvil could not be started');
}

async function stopAnvil() {
  const child = anvil;
  anvil = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
  await gone;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// catalogue.toml: only the [[parameters]] entries' id, getter and setter are needed.

function readCatalogue() {
  const text = fs.readFileSync(CATALOGUE, 'utf8');
  const params = [];
  let current = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      current = line === '[[parameters]]' ? {} : null;
      if (current) params.push(current);
      continue;
    }
    const m = current && line.match(/^(id|getter|setter)\s*=\s*"([^"]*)"\s*$/);
    if (m) current[m[1]] = m[2];
  }
  return params.filter((p) => !p.id.startsWith('OwnerControl.'));
}

function parseGetter(sig) {
  const m = sig.match(/^(\w+)\(([^)]*)\)\(([^)]*)\)$/);
  if (!m) throw new Error(`bad getter signature ${sig}`);
  return { name: m[1], inputs: m[2] ? m[2].split(',') : [], outputs: m[3] ? m[3].split(',') : [] };
}

function parseSetter(sig) {
  const m = sig.match(/^(\w+)\(([^)]*)\)$/);
  if (!m) throw new Error(`bad setter signature ${sig}`);
  return { name: m[1], inputs: m[2] ? m[2].split(',') : [] };
}

// ---------------------------------------------------------------------------------------------
// checks

const results = [];

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function eq(actual, expected, what) {
  const a = typeof actual === 'string' ? actual.toLowerCase() : actual;
  const e = typeof expected === 'string' ? expected.toLowerCase() : expected;
  if (Array.isArray(actual) || Array.isArray(expected)) {
    const aj = JSON.stringify([...actual].map(String).map((s) => s.toLowerCase()));
    const ej = JSON.stringify([...expected].map(String).map((s) => s.toLowerCase()));
    assert(aj === ej, `${what}: got ${aj}, want ${ej}`);
    return;
  }
  assert(a === e, `${what}: got ${actual}, want ${expected}`);
}

async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    process.stdout.write(`ok - ${name}\n`);
  } catch (e) {
    results.push({ name, ok: false });
    process.stdout.write(`FAIL - ${name}: ${e && e.stack ? e.stack : e}\n`);
  }
}

/** Sends a transaction and returns its receipt with the contract's parsed events. */
async function send(contract, fn, args) {
  const tx = await contract[fn](...args);
  const receipt = await tx.wait();
  assert(receipt.status === 1, `${fn} failed`);
  const events = [];
  for (const log of receipt.logs) {
    try {
      const parsed = contract.interface.parseLog(log);
      if (parsed) events.push(parsed);
    } catch { /* another contract's log */ }
  }
  return { receipt, events };
}

function findEvent(events, name) {
  const e = events.find((x) => x.name === name);
  assert(e, `no ${name} event (got ${events.map((x) => x.name).join(', ') || 'none'})`);
  return e;
}

/** Finds the revert data in an ethers error (its place depends on call vs. gas estimate). */
function revertData(err) {
  for (const d of [err.data, err.info && err.info.error && err.info.error.data, err.error && err.error.data]) {
    if (typeof d === 'string' && d.startsWith('0x')) return d;
    if (d && typeof d.data === 'string' && d.data.startsWith('0x')) return d.data;
  }
  return null;
}

/**
 * Expects the call to revert; `want` is {error, args} (a custom error of `contract`) or {reason}.
 * `call` is a function so that the promise is made inside the try.
 */
async function expectRevert(contract, call, want) {
  let err = null;
  try {
    const r = await call();
    if (r && typeof r.wait === 'function') await r.wait();
  } catch (e) {
    err = e;
  }
  assert(err, `expected a revert (${JSON.stringify(want, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}) but the call succeeded`);
  if (want.reason !== undefined) {
    assert(err.reason === want.reason, `revert reason ${JSON.stringify(err.reason)}, want ${JSON.stringify(want.reason)} (${err.shortMessage || err.message})`);
    return err;
  }
  let decoded = err.revert;
  if (!decoded) {
    const data = revertData(err);
    assert(data, `no revert data, want ${want.error}: ${err.shortMessage || err.message}`);
    decoded = contract.interface.parseError(data);
    assert(decoded, `revert data ${data} is not an error of this contract, want ${want.error}`);
  }
  assert(decoded.name === want.error, `reverted with ${decoded.name}, want ${want.error}`);
  if (want.args) eq(Array.from(decoded.args).map(String), want.args.map(String), `${want.error} arguments`);
  return err;
}

function sampleValue(type, setterName, i) {
  switch (type) {
    case 'uint256':
      if (setterName === 'setMaxTotalPayoutPct') return 150n;
      return 42n + BigInt(i);
    case 'uint96':
      return 10n ** 19n + BigInt(i);
    case 'uint8':
      return 1n; // an enum's member (a role) that every enum of the platform has
    case 'int256':
      // Temperatures are above 0 on the platform; other signed values may be negative.
      if (/Temperature$/.test(setterName) && setterName !== 'setSystemTemperature') return 10n ** 18n + BigInt(i);
      return -(10n ** 18n) - BigInt(i);
    case 'address':
      return ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0xa000 + i), 20));
    case 'bool':
      return true;
    case 'string':
      return `sample-${i}.agi.eth`;
    case 'bytes32':
      return ethers.id(`sample-${i}`);
    default:
      throw new Error(`no sample value for ${type}`);
  }
}

function abiFunction(contract, name, inputs) {
  const sig = `${name}(${inputs.join(',')})`;
  const f = contract.interface.getFunction(sig);
  assert(f, `${sig} missing from the ABI`);
  return f;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const artifacts = {};
  for (const f of fs.readdirSync(BUILD).filter((x) => x.endsWith('.json')).sort()) {
    const a = JSON.parse(fs.readFileSync(path.join(BUILD, f), 'utf8'));
    artifacts[a.contractName] = a;
  }
  assert(Object.keys(artifacts).length > 0, 'build/ is empty: run node assets/contracts/compile.js');

  const node = await startAnvil();
  process.stdout.write(`anvil (pid ${node.pid}) on ${node.url}, chain id ${node.chainId}\n`);
  const provider = new ethers.JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const ownerSigner = await provider.getSigner(0);
  const owner = await ownerSigner.getAddress();
  const stranger = await provider.getSigner(1);
  const strangerAddr = await stranger.getAddress();
  const accounts = await provider.send('eth_accounts', []);

  // Deploy: modules first, then SystemPause over the pausable ones, Broken.
  const c = {};
  const pausable = ['FeePool', 'JobRegistry', 'StakeManager'];
  const order = Object.keys(artifacts).sort((a, b) => {
    const late = (n) => (['SystemPause', 'Broken'].includes(n) ? 1 : 0);
    return late(a) - late(b) || a.localeCompare(b);
  });
  await check(`deploy ${order.length} contracts (${order.join(', ')})`, async () => {
    for (const name of order) {
      const a = artifacts[name];
      let args;
      if (name === 'SystemPause') args = [owner, pausable.map((m) => c[m].target)];
      else if (name === 'Broken') args = [];
      else {
        const ctor = a.abi.find((x) => x.type === 'constructor');
        assert(ctor && ctor.inputs.length === 1 && ctor.inputs[0].type === 'address', `${name}: unexpected constructor`);
        args = [owner];
      }
      const factory = new ethers.ContractFactory(a.abi, a.bytecode, ownerSigner);
      const deployed = await factory.deploy(...args);
      await deployed.waitForDeployment();
      const code = await provider.getCode(deployed.target);
      eq(code, a.deployedBytecode, `${name} deployed code`);
      c[name] = deployed;
    }
  });
  if (!c.Broken) throw new Error('deployment failed; nothing else can be checked');

  // Every catalogue getter and setter, with the exact types, for every module.
  const catalogue = readCatalogue();
  const modules = [...new Set(catalogue.map((p) => p.id.split('.')[0]))];
  for (const module of modules) {
    const params = catalogue.filter((p) => p.id.split('.')[0] === module && (p.getter || p.setter));
    await check(`${module}: ${params.length} catalogue getters/setters round-trip (owner only, event per setter)`, async () => {
      const k = c[module];
      assert(k, `no contract ${module}`);
      let i = 0;
      for (const p of params) {
        i++;
        const getter = p.getter && parseGetter(p.getter);
        const setter = p.setter && parseSetter(p.setter);
        if (getter) {
          const f = abiFunction(k, getter.name, getter.inputs);
          eq(f.outputs.map((o) => o.type).join(','), getter.outputs.join(','), `${p.getter} return type`);
          assert(f.constant, `${p.getter} is not a view function`);
          if (getter.inputs.length === 0) await k[f.format()]();
        }
        if (!setter) continue;
        abiFunction(k, setter.name, setter.inputs);
        const sig = `${setter.name}(${setter.inputs.join(',')})`;
        const args = setter.inputs.map((t) => sampleValue(t, setter.name, i));
        await expectRevert(k, () => k.connect(stranger)[sig](...args), { error: 'NotOwner', args: [strangerAddr] });
        if (setter.name === 'setTreasury' && k.interface.getFunction('treasuryAllowlist')) {
          await send(k, 'setTreasuryAllowlist', [args[0], true]);
        }
        const { events } = await send(k, sig, args);
        const eventName = `${setter.name.replace(/^(set|add)/, '')}Updated`;
        const ev = findEvent(events, eventName);
        // The event ends with the setter's arguments (the platform's may lead with the old value).
        const want = [...args.map(String), ...(setter.name.startsWith('add') ? ['true'] : [])];
        eq(ev.args.map(String).slice(-want.length), want, `${eventName} arguments`);
        if (!getter) continue;
        const gsig = `${getter.name}(${getter.inputs.join(',')})`;
        if (getter.inputs.length === 0) {
          eq(String(await k[gsig]()), String(args[0]), `${p.getter} after ${sig}`);
        } else if (setter.inputs.length === getter.inputs.length + 1 && setter.inputs[setter.inputs.length - 1] !== 'bool') {
          // A keyed value (a role's mu, an agent's profile): getter(key) follows setter(key, value).
          const keys = args.slice(0, -1);
          eq(String(await k[gsig](...keys)), String(args[args.length - 1]), `${p.getter} after ${sig}`);
        } else {
          // A set member: getter(key) follows setter(key, bool).
          eq(await k[gsig](args[0]), true, `${p.getter} after ${sig}(…, true)`);
          await send(k, sig, [args[0], false]);
          eq(await k[gsig](args[0]), false, `${p.getter} after ${sig}(…, false)`);
        }
      }
    });
  }

  await check('FeePool: setBurnPct(7) then burnPct() == 7; setBurnPct(101) reverts InvalidPercentage(101)', async () => {
    const { events } = await send(c.FeePool, 'setBurnPct', [7]);
    eq(String(findEvent(events, 'BurnPctUpdated').args[0]), '7', 'BurnPctUpdated');
    eq(await c.FeePool.burnPct(), 7n, 'burnPct()');
    await expectRevert(c.FeePool, () => c.FeePool.setBurnPct(101), { error: 'InvalidPercentage', args: [101] });
    eq(await c.FeePool.burnPct(), 7n, 'burnPct() after the rejected 101');
  });

  await check('FeePool/StakeManager/JobRegistry/RewardEngine: setTreasury rejects the owner, zero and (with an allowlist) an address not allowlisted', async () => {
    for (const name of ['FeePool', 'StakeManager', 'JobRegistry', 'RewardEngine']) {
      const k = c[name];
      await expectRevert(k, () => k.setTreasury(owner), { error: 'TreasuryIsOwner', args: [owner] });
      await expectRevert(k, () => k.setTreasury(ethers.ZeroAddress), { error: 'ZeroAddress' });
    }
    const fresh = ethers.getAddress('0xf777777777777777777777777777777777777777');
    for (const name of ['FeePool', 'StakeManager']) {
      const k = c[name];
      await expectRevert(k, () => k.setTreasury(fresh), { error: 'TreasuryNotAllowlisted', args: [fresh] });
      await send(k, 'setTreasuryAllowlist', [fresh, true]);
      await send(k, 'setTreasury', [fresh]);
      eq(await k.treasury(), fresh, `${name}.treasury()`);
    }
  });

  await check('StakeManager: percentage guards (fee/burn/validator <= 100, slashing split <= 100 or basis points summing to 10,000, maxTotalPayoutPct 100..200)', async () => {
    const k = c.StakeManager;
    for (const fn of ['setFeePct', 'setBurnPct', 'setValidatorRewardPct']) {
      await expectRevert(k, () => k[fn](101), { error: 'InvalidPercentage', args: [101] });
    }
    await send(k, 'setValidatorSlashRewardPct', [5]);
    await send(k, 'setSlashingPercentages', [40, 55]);
    eq([await k.employerSlashPct(), await k.treasurySlashPct(), await k.validatorSlashRewardPct()].map(String), ['40', '55', '5'], 'slashing split');
    await expectRevert(k, () => k.setSlashingPercentages(40, 56), { error: 'InvalidPercentage', args: [101] });
    await send(k, 'setSlashingDistribution', [4000, 5500, 500]);
    eq([await k.employerSlashPct(), await k.treasurySlashPct(), await k.validatorSlashRewardPct()].map(String), ['4000', '5500', '500'], 'slashing split in basis points, stored as given');
    await expectRevert(k, () => k.setSlashingDistribution(4000, 5500, 501), { error: 'InvalidPercentage', args: [10001] });
    await send(k, 'setSlashingDistribution', [40, 55, 5]);
    await expectRevert(k, () => k.setMaxTotalPayoutPct(99), { error: 'InvalidPercentage', args: [99] });
    await expectRevert(k, () => k.setMaxTotalPayoutPct(201), { error: 'InvalidPercentage', args: [201] });
    await expectRevert(c.JobRegistry, () => c.JobRegistry.setFeePct(101), { error: 'InvalidPercentage', args: [101] });
  });

  await check('EnergyOracle: setSigner adds/removes and getSigners() lists the current set', async () => {
    const k = c.EnergyOracle;
    const [a, b, d] = ['0xA1A1a1a1A1A1A1A1A1a1a1a1a1a1A1A1a1A1a1a1', '0xb2b2b2b2b2B2b2B2B2b2b2B2B2b2B2B2b2b2b2b2', '0xc3c3c3c3c3c3c3c3c3C3C3c3C3C3C3c3C3C3c3c3'].map(ethers.getAddress);
    eq(await k.getSigners(), [], 'getSigners() before');
    for (const s of [a, b, d]) {
      const { events } = await send(k, 'setSigner', [s, true]);
      eq(findEvent(events, 'SignerUpdated').args.map(String), [s, 'true'], 'SignerUpdated');
    }
    await send(k, 'setSigner', [a, true]); // again: no duplicate
    eq(await k.getSigners(), [a, b, d], 'getSigners() after adding three');
    await send(k, 'setSigner', [b, false]);
    eq(await k.getSigners(), [a, d], 'getSigners() after removing the second');
    eq(await k.signers(b), false, 'signers(b)');
    eq(await k.signers(a), true, 'signers(a)');
    await send(k, 'setSigner', [b, false]); // again: no-op
    await send(k, 'setSigner', [a, false]);
    await send(k, 'setSigner', [d, false]);
    eq(await k.getSigners(), [], 'getSigners() after removing all');
  });

  await check('Pausable: owner and pauser may pause/unpause, a stranger may not; Paused(address)/Unpaused(address) events', async () => {
    const k = c.FeePool;
    await expectRevert(k, () => k.connect(stranger).pause(), { error: 'NotPauser', args: [strangerAddr] });
    await send(k, 'setPauser', [strangerAddr]);
    const { receipt, events } = await send(k.connect(stranger), 'pause', []);
    eq(String(findEvent(events, 'Paused').args[0]), strangerAddr, 'Paused account');
    eq(receipt.logs[0].topics[0], ethers.id('Paused(address)'), 'Paused topic');
    eq(await k.paused(), true, 'paused()');
    await expectRevert(k, () => k.pause(), { error: 'EnforcedPause' });
    const u = await send(k, 'unpause', []);
    eq(String(findEvent(u.events, 'Unpaused').args[0]), owner, 'Unpaused account');
    eq(u.receipt.logs[0].topics[0], ethers.id('Unpaused(address)'), 'Unpaused topic');
    eq(await k.paused(), false, 'paused() after unpause');
    await expectRevert(k, () => k.unpause(), { error: 'ExpectedPause' });
    await send(k, 'setPauser', [ethers.ZeroAddress]);
  });

  await check('SystemPause: pauseAll pauses every module (skipping one already paused) and leaves JobRegistry paused; unpauseAll; owner only', async () => {
    const sp = c.SystemPause;
    eq(await sp.modules(), pausable.map((m) => c[m].target), 'modules()');
    await expectRevert(c.FeePool, () => sp.pauseAll(), { error: 'NotPauser', args: [sp.target] }); // not yet wired
    for (const m of pausable) {
      await send(c[m], 'setSystemPause', [sp.target]);
      eq(await c[m].systemPause(), sp.target, `${m}.systemPause()`);
    }
    await send(c.StakeManager, 'pause', []);
    await expectRevert(sp, () => sp.connect(stranger).pauseAll(), { error: 'NotOwner', args: [strangerAddr] });
    const { events } = await send(sp, 'pauseAll', []);
    eq(String(findEvent(events, 'PausedAll').args[0]), owner, 'PausedAll account');
    for (const m of pausable) eq(await c[m].paused(), true, `${m}.paused() after pauseAll`);
    const u = await send(sp, 'unpauseAll', []);
    eq(String(findEvent(u.events, 'UnpausedAll').args[0]), owner, 'UnpausedAll account');
    for (const m of pausable) eq(await c[m].paused(), false, `${m}.paused() after unpauseAll`);
    await send(sp, 'setModules', [[c.JobRegistry.target]]);
    eq(await sp.modules(), [c.JobRegistry.target], 'modules() after setModules');
    await send(sp, 'pauseAll', []);
    eq(await c.JobRegistry.paused(), true, 'JobRegistry.paused() after pauseAll');
    eq(await c.FeePool.paused(), false, 'FeePool.paused() (no longer listed)');
  });

  await check('Governable: transferOwnership emits OwnershipTransferred and moves onlyOwner', async () => {
    const k = c.HamiltonianMonitor;
    const { events } = await send(k, 'transferOwnership', [strangerAddr]);
    eq(findEvent(events, 'OwnershipTransferred').args.map(String), [owner, strangerAddr], 'OwnershipTransferred');
    eq(await k.owner(), strangerAddr, 'owner()');
    await expectRevert(k, () => k.setWindow(8, false), { error: 'NotOwner', args: [owner] });
    await expectRevert(k, () => k.connect(stranger).setWindow(0, false), { error: 'InvalidWindow', args: [0] });
    await send(k.connect(stranger), 'transferOwnership', [owner]);
    eq(await k.owner(), owner, 'owner() back');
  });

  await check('setters beyond the catalogue (for seeding getter-only values) set what their getters read', async () => {
    const t = c.Thermostat;
    const e18 = 10n ** 18n;
    await send(t, 'setTemperatureBounds', [e18 / 2n, 2n * e18]);
    await send(t, 'setPID', [2n * e18 / 10n, 5n * e18 / 100n, 25n * e18 / 1000n]);
    await send(t, 'setKPIWeights', [e18, e18 / 2n, 75n * e18 / 100n]);
    await send(t, 'setIntegralBounds', [-2n * e18, 2n * e18]);
    eq(String(await t.maxTemp()), String(2n * e18), 'maxTemp()');
    eq(String(await t.kd()), String(25n * e18 / 1000n), 'kd()');
    eq(String(await t.integralMin()), String(-2n * e18), 'integralMin()');
    await expectRevert(t, () => t.setTemperatureBounds(0, e18), { error: 'InvalidBounds', args: [0, e18] });
    await expectRevert(t, () => t.setIntegralBounds(1, 1), { error: 'InvalidBounds', args: [1, 1] });
    await send(c.FeePool, 'setRewardRole', [2]);
    eq(await c.FeePool.rewardRole(), 2n, 'FeePool.rewardRole() (Platform)');
    await expectRevert(c.RewardEngine, () => c.RewardEngine.setTemperature(0), { reason: 'temp' });
    eq(String(await t.getRoleTemperature(3)), String(await t.systemTemperature()), 'getRoleTemperature() of a role with none');
    const h = c.HamiltonianMonitor;
    const before = await h.resets();
    await send(h, 'setWindow', [8, false]);
    eq(await h.resets(), before, 'resets() after setWindow(8, false)');
    const { events: reset } = await send(h, 'setWindow', [8, true]);
    findEvent(reset, 'HistoryReset');
    await send(h, 'resetHistory', []);
    eq(await h.resets(), before + 2n, 'resets() after setWindow(8, true) and resetHistory()');
    const ir = c.IdentityRegistry;
    const agent = accounts[7];
    await send(ir, 'addAdditionalAgent', [agent]);
    eq(await ir.additionalAgents(agent), true, 'additionalAgents() after add');
    const { events } = await send(ir, 'removeAdditionalAgent', [agent]);
    eq(Array.from(findEvent(events, 'AdditionalAgentUpdated').args).map(String), [agent, 'false'], 'AdditionalAgentUpdated');
    eq(await ir.additionalAgents(agent), false, 'additionalAgents() after remove');
  });

  await check(`Broken: burnPct() and paused() revert with "${REASON}"`, async () => {
    await expectRevert(c.Broken, () => c.Broken.burnPct(), { reason: REASON });
    await expectRevert(c.Broken, () => c.Broken.paused(), { reason: REASON });
  });

  await check('every no-argument view function of every contract answers (except Broken\'s)', async () => {
    let n = 0;
    for (const [name, k] of Object.entries(c)) {
      if (name === 'Broken') continue;
      for (const f of k.interface.fragments) {
        if (f.type === 'function' && f.constant && f.inputs.length === 0) {
          await k[f.format()]();
          n++;
        }
      }
    }
    assert(n > 50, `only ${n} getters`);
  });
}

async function run() {
  let fatal = null;
  try {
    await main();
  } catch (e) {
    fatal = e;
  } finally {
    await stopAnvil();
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + (fatal ? 1 : 0);
  if (fatal) process.stdout.write(`FAIL - ${fatal.stack || fatal}\n`);
  if (failed > 0 && anvilLog) process.stderr.write(`--- anvil output (last 4000 chars) ---\n${anvilLog.slice(-4000)}\n`);
  process.stdout.write(`smoke: ${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopAnvil().finally(() => process.exit(130));
  });
}

run();
