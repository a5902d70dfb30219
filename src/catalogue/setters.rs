//! Setters that set several parameters in one call (`setSlashingDistribution(uint256,uint256,
//! uint256)`): each parameter they fill names the same setter and the same argument list, and
//! the list has one parameter per argument of the signature.

use super::Catalogue;

/// The number of arguments of a Solidity signature such as `setSigner(address,bool)`; tuple
/// arguments count once.
pub fn arity(signature: &str) -> usize {
    let Some(arguments) = signature
        .split_once('(')
        .and_then(|(_, rest)| rest.rsplit_once(')'))
        .map(|(arguments, _)| arguments)
    else {
        return 0;
    };
    if arguments.trim().is_empty() {
        return 0;
    }
    let mut depth = 0usize;
    let mut count = 1;
    for c in arguments.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => count += 1,
            _ => {}
        }
    }
    count
}

/// A multi-argument setter whose parameters do not agree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetterError {
    #[error("parameter `{id}` is a planning option, not contract state, and so has no getter")]
    OptionWithGetter { id: String },
    #[error(
        "parameter `{id}`: {signature} takes {takes} argument(s), and `args` (a getter: `getter_args`, if given) and the value(s) make {given}"
    )]
    WrongLeading {
        id: String,
        signature: String,
        takes: usize,
        given: usize,
    },
    #[error("parameter `{id}`: an enum lists its members in `variants`, and only an enum does")]
    Variants { id: String },
    #[error(
        "parameter `{id}`: a remover is for a set whose setter adds one member (`addX(address)`), and takes that member alone"
    )]
    Remover { id: String },
    #[error(
        "parameter `{id}`: percent_or_bps is for a percent parameter of a setter with setter_args"
    )]
    PercentOrBps { id: String },
    #[error("parameter `{id}` has setter_args but no setter")]
    NoSetter { id: String },
    #[error("parameter `{id}`: setter_args must list `{id}` itself")]
    NotListingItself { id: String },
    #[error("parameter `{id}`: {setter} takes {takes} argument(s), setter_args lists {lists}")]
    WrongArity {
        id: String,
        setter: String,
        takes: usize,
        lists: usize,
    },
    #[error(
        "parameter `{id}`: setter_args names `{other}`, which must be a parameter of {contract} with the same setter and setter_args (and percent_or_bps)"
    )]
    Mismatched {
        id: String,
        other: String,
        contract: String,
    },
}

/// The number of inputs of a getter signature with its return type (`mu(uint8)(int256)`).
pub fn getter_arity(signature: &str) -> usize {
    match signature.find(")(") {
        Some(end) => arity(&signature[..=end]),
        None => arity(signature),
    }
}

/// What a parameter's own fields must agree on: an option has no getter, an enum names its
/// members, and the fixed leading arguments fit the getter and the setter.
fn check_fields(parameter: &super::Parameter) -> Result<(), SetterError> {
    use super::value::Kind;
    let id = &parameter.id;
    if parameter.option && parameter.getter.is_some() {
        return Err(SetterError::OptionWithGetter { id: id.clone() });
    }
    if (parameter.kind == Kind::Enum) == parameter.variants.is_empty() {
        return Err(SetterError::Variants { id: id.clone() });
    }
    if let Some(remover) = &parameter.remover {
        let set = parameter.kind.is_set();
        let adds_one = parameter.setter.as_deref().is_some_and(|s| arity(s) == 1);
        if !set || !adds_one || arity(remover) != 1 {
            return Err(SetterError::Remover { id: id.clone() });
        }
    }
    if parameter.percent_or_bps
        && (parameter.unit != super::units::Unit::Percent || parameter.setter_args.is_empty())
    {
        return Err(SetterError::PercentOrBps { id: id.clone() });
    }
    let leading = parameter.args.len();
    if let Some(getter) = &parameter.getter {
        let set = parameter.kind.is_set();
        let takes = getter_arity(getter);
        let given = parameter.getter_arguments().len();
        if takes != given && !(set && given == 0 && takes == 1) {
            return Err(SetterError::WrongLeading {
                id: id.clone(),
                signature: getter.clone(),
                takes,
                given,
            });
        }
    }
    if let Some(setter) = &parameter.setter
        && leading > 0
    {
        let values = parameter.setter_args.len().max(1);
        if arity(setter) != leading + values {
            return Err(SetterError::WrongLeading {
                id: id.clone(),
                signature: setter.clone(),
                takes: arity(setter),
                given: leading + values,
            });
        }
    }
    Ok(())
}

pub fn check(catalogue: &Catalogue) -> Result<(), SetterError> {
    for parameter in &catalogue.parameters {
        check_fields(parameter)?;
    }
    for parameter in catalogue
        .parameters
        .iter()
        .filter(|p| !p.setter_args.is_empty())
    {
        let id = &parameter.id;
        let Some(setter) = &parameter.setter else {
            return Err(SetterError::NoSetter { id: id.clone() });
        };
        if !parameter.setter_args.contains(id) {
            return Err(SetterError::NotListingItself { id: id.clone() });
        }
        let lists = parameter.args.len() + parameter.setter_args.len();
        if arity(setter) != lists {
            return Err(SetterError::WrongArity {
                id: id.clone(),
                setter: setter.clone(),
                takes: arity(setter),
                lists,
            });
        }
        for other in &parameter.setter_args {
            let same = catalogue.parameter(other).is_some_and(|o| {
                o.setter.as_ref() == Some(setter)
                    && o.setter_args == parameter.setter_args
                    && o.percent_or_bps == parameter.percent_or_bps
                    && o.contract() == parameter.contract()
            });
            if !same {
                return Err(SetterError::Mismatched {
                    id: id.clone(),
                    other: other.clone(),
                    contract: parameter.contract().to_owned(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::arity;

    #[test]
    fn arity_counts_top_level_arguments() {
        assert_eq!(arity("pause()"), 0);
        assert_eq!(arity("setBurnPct(uint256)"), 1);
        assert_eq!(arity("setSlashingDistribution(uint256,uint256,uint256)"), 3);
        assert_eq!(arity("f((uint256,address),bool)"), 2);
    }

    #[test]
    fn getter_arity_counts_the_inputs_only() {
        use super::getter_arity;
        assert_eq!(getter_arity("burnPct()(uint256)"), 0);
        assert_eq!(getter_arity("mu(uint8)(int256)"), 1);
        assert_eq!(getter_arity("history()(uint256[],uint256[])"), 0);
    }
}
