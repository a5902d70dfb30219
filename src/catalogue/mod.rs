//! The parameter catalogue (`config/catalogue.toml`): every owner-editable parameter, where it
//! lives in the config files and on chain, its unit, its risk class by rule, and the guardrails.

pub mod config_set;
pub mod error;
pub mod guardrails;
pub mod index;
pub mod risk;
pub mod setters;
pub mod units;
pub mod value;

pub use error::CatalogueError;
use guardrails::Guardrail;
use risk::RiskRule;
use serde::Deserialize;
use std::collections::BTreeMap;
use units::Unit;
use value::Kind;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// `Module.name`, the module being the contract that holds it.
    pub id: String,
    pub domain: String,
    /// The config file's stem: `config/<file>.<network>.json`.
    pub file: String,
    /// A JSON pointer into that file.
    pub path: String,
    pub kind: Kind,
    #[serde(default = "no_unit")]
    pub unit: Unit,
    /// The unit on chain, when it differs from the config's.
    pub chain_unit: Option<Unit>,
    /// Solidity signature with its return type, e.g. `burnPct()(uint256)`.
    pub getter: Option<String>,
    /// Solidity signature of the setter, e.g. `setBurnPct(uint256)`; for sets, the per-member
    /// setter `setSigner(address,bool)`.
    pub setter: Option<String>,
    /// For a setter that sets several parameters in one call: the parameters that fill its
    /// arguments, in order (this one among them). Each of them names the same setter and list.
    #[serde(default)]
    pub setter_args: Vec<String>,
    /// Other parameters the setter overwrites with the same value: the real
    /// `StakeManager.setValidatorRewardPct(pct)` also sets `validatorSlashRewardPct = pct`. A
    /// plan calls this setter before theirs, and calls theirs again when the config wants
    /// another value there.
    #[serde(default)]
    pub also_writes: Vec<String>,
    /// Arguments the getter and the setter take before the value, the same for both: the role
    /// of a per-role mapping (`mu(uint8)(int256)`, `setMu(uint8,int256)`), the agent of
    /// `agentProfileURI(address)(string)`. Written as text, encoded by the signature's types.
    #[serde(default)]
    pub args: Vec<String>,
    /// The getter's arguments, where they are not the setter's leading `args`: the role of
    /// `roleShare(uint8)(uint256)`, whose setter `setRoleShares(uint256,uint256,uint256,
    /// uint256)` takes the four shares and no role.
    pub getter_args: Option<Vec<String>>,
    /// For `kind = "enum"`: the names of the enum's members, in their on-chain order (the
    /// first is 0). The console shows and accepts the names; the chain gets the number.
    #[serde(default)]
    pub variants: Vec<String>,
    /// A planning option, not contract state (`retainUnknown`, `resetHistory`): a value of the
    /// config that decides how a plan is made or a setter called, that no getter reads. It is
    /// never read from chain, and a diff against the chain names it as not compared.
    #[serde(default)]
    pub option: bool,
    /// For a set behind a mapping getter (`rewarders(address)(bool)`), which no getter lists:
    /// the event its add/remove setter emits, its first argument the member, e.g.
    /// `RewarderUpdated(address,bool)`. The set's members are found in these events since the
    /// network's `logs_from_block`, then each confirmed by the getter.
    pub members_event: Option<String>,
    /// A joint setter (`setter_args`) that takes whole percents or basis points and stores
    /// them as given (`StakeManager.setSlashingDistribution`: a sum of 100 or of 10,000): the
    /// values read from chain are basis points when those of `setter_args` sum to 10,000.
    #[serde(default)]
    pub percent_or_bps: bool,
    /// For a set whose setter only adds a member (`addAdditionalAgent(address)`): the
    /// function that removes one (`removeAdditionalAgent(address)`).
    pub remover: Option<String>,
}

/// A `members_event` names an event whose first argument is the member, on a set read member
/// by member through a getter.
fn members_event_fits(parameter: &Parameter, event: &str) -> Result<(), String> {
    if parameter.kind != Kind::AddressSet {
        return Err("members_event is only for an address-set".into());
    }
    if parameter.getter.is_none() {
        return Err("members_event needs a getter to confirm each member".into());
    }
    let parsed = alloy_json_abi::Event::parse(event).map_err(|_| {
        format!(
            "members_event `{event}` is not an event signature like `RewarderUpdated(address,bool)`"
        )
    })?;
    match parsed.inputs.first() {
        Some(first) if first.ty == "address" => Ok(()),
        _ => Err(format!(
            "members_event `{event}`: its first argument must be the member's address"
        )),
    }
}

fn no_unit() -> Unit {
    Unit::None
}

impl Parameter {
    pub fn contract(&self) -> &str {
        self.id.split('.').next().unwrap_or(&self.id)
    }

    pub fn chain_unit(&self) -> Unit {
        self.chain_unit.unwrap_or(self.unit)
    }

    /// The arguments the getter takes: its own `getter_args`, else the setter's leading `args`.
    pub fn getter_arguments(&self) -> &[String] {
        self.getter_args.as_deref().unwrap_or(&self.args)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Module name → JSON pointer of its address in `owner-control.<network>.json`.
    #[serde(default)]
    pub modules: BTreeMap<String, String>,
    /// Modules with `paused()(bool)`, `pause()` and `unpause()`.
    #[serde(default)]
    pub pausable: Vec<String>,
    pub risk_rules: Vec<RiskRule>,
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub guardrails: Vec<Guardrail>,
    #[serde(skip)]
    index: index::Index,
}

impl Catalogue {
    /// Module name → address on the network, from `owner-control.<network>.json` through
    /// the catalogue's `[modules]` pointers.
    pub fn module_addresses(
        &self,
        owner_control: &serde_json::Value,
    ) -> std::collections::BTreeMap<String, alloy_primitives::Address> {
        self.modules
            .iter()
            .filter_map(|(module, pointer)| {
                Some((
                    module.clone(),
                    owner_control.pointer(pointer)?.as_str()?.parse().ok()?,
                ))
            })
            .collect()
    }

    pub const FILE: &'static str = "config/catalogue.toml";

    /// Parses and cross-checks the catalogue; errors name the line, or the entry and field.
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let mut catalogue: Self = crate::workspace::toml_file::parse(Self::FILE, text)?;
        catalogue.reindex();
        if catalogue.index.distinct_ids() != catalogue.parameters.len() {
            let mut seen = std::collections::BTreeSet::new();
            if let Some(twice) = catalogue
                .parameters
                .iter()
                .find(|p| !seen.insert(p.id.as_str()))
            {
                return Err(CatalogueError::ListedTwice {
                    file: Self::FILE,
                    id: twice.id.clone(),
                });
            }
        }
        setters::check(&catalogue).map_err(|why| CatalogueError::Setter {
            file: Self::FILE,
            why,
        })?;
        for parameter in &catalogue.parameters {
            for id in &parameter.also_writes {
                if catalogue.parameter(id).is_none_or(|p| p.setter.is_none()) {
                    return Err(CatalogueError::UnknownCoupledParameter {
                        file: Self::FILE,
                        id: parameter.id.clone(),
                        writes: id.clone(),
                    });
                }
            }
        }
        for parameter in &catalogue.parameters {
            if let Some(event) = &parameter.members_event {
                members_event_fits(parameter, event).map_err(|why| {
                    CatalogueError::MembersEvent {
                        file: Self::FILE,
                        id: parameter.id.clone(),
                        why,
                    }
                })?;
            }
        }
        for guardrail in &catalogue.guardrails {
            for id in &guardrail.params {
                if catalogue.parameter(id).is_none() {
                    return Err(CatalogueError::UnknownGuardedParameter {
                        file: Self::FILE,
                        guardrail: guardrail.id.clone(),
                        id: id.clone(),
                    });
                }
            }
        }
        Ok(catalogue)
    }

    /// The catalogue with a network's `[networks.<name>.policy]` applied to its policy
    /// guardrails.
    pub fn for_network(
        &self,
        network: &str,
        policy: &BTreeMap<String, guardrails::PolicySetting>,
    ) -> Result<Catalogue, guardrails::PolicyError> {
        let mut catalogue = self.clone();
        guardrails::apply_policy(&mut catalogue.guardrails, network, policy)?;
        Ok(catalogue)
    }

    /// The catalogue narrowed to `domains` (all when empty): their parameters, and the
    /// guardrails over those parameters only.
    pub fn restricted(&self, domains: &[String]) -> Catalogue {
        if domains.is_empty() {
            return self.clone();
        }
        let mut narrowed = self.clone();
        narrowed.parameters.retain(|p| domains.contains(&p.domain));
        let kept: std::collections::BTreeSet<String> =
            narrowed.parameters.iter().map(|p| p.id.clone()).collect();
        narrowed
            .guardrails
            .retain(|g| g.params.iter().all(|id| kept.contains(id)));
        narrowed.reindex();
        narrowed
    }

    fn reindex(&mut self) {
        self.index = index::Index::new(&self.parameters);
    }

    pub fn parameter(&self, id: &str) -> Option<&Parameter> {
        self.position(id).map(|(_, parameter)| parameter)
    }

    /// The parameter `id` with its position in `parameters`.
    pub fn position(&self, id: &str) -> Option<(usize, &Parameter)> {
        let position = self.index.position(id)?;
        let parameter = self.parameters.get(position).filter(|p| p.id == id)?;
        Some((position, parameter))
    }

    /// The parameters in id order, each with its position in `parameters`.
    pub fn in_id_order(&self) -> impl Iterator<Item = (usize, &Parameter)> {
        self.index
            .sorted()
            .iter()
            .filter_map(|&position| Some((position, self.parameters.get(position)?)))
    }

    /// The place of the parameter at `position` in id order.
    pub fn rank(&self, position: usize) -> usize {
        self.index.rank(position)
    }

    /// The config file stems the catalogue reads, in order.
    pub fn files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self.parameters.iter().map(|p| p.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        files
    }
}
