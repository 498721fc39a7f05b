using Herald.Core.Engine;

namespace Herald.Core.Conditions;

/// <summary>
/// A parsed applicability condition such as <c>later-line and not received(pertuzumab)</c>.
/// Evaluates in three-valued logic; can say which facts made it false, and which unknown facts
/// would have to be supplied to decide it.
/// </summary>
public abstract class Condition
{
    public static readonly Condition Always = new AlwaysCondition();

    /// <summary>The condition as written (normalised spacing).</summary>
    public abstract string Text { get; }

    public abstract Tri Evaluate(PatientFacts facts);

    /// <summary>Atoms whose value is unknown: supplying them could change the outcome.</summary>
    public abstract void CollectUnknown(PatientFacts facts, List<Atom> into);

    /// <summary>When the condition is false: the atoms that make it so, with whether they appear negated.</summary>
    public abstract void CollectBlockers(PatientFacts facts, bool negated, List<Blocker> into);

    public abstract ConditionTrace Trace(PatientFacts facts);

    /// <summary>Every fact the condition names, left to right (a fact named twice is listed twice).</summary>
    public IReadOnlyList<Atom> Atoms()
    {
        var atoms = new List<Atom>();
        CollectAtoms(atoms);
        return atoms;
    }

    internal abstract void CollectAtoms(List<Atom> into);

    public override string ToString() => Text;

    private sealed class AlwaysCondition : Condition
    {
        public override string Text => "always";

        public override Tri Evaluate(PatientFacts facts) => Tri.True;

        public override void CollectUnknown(PatientFacts facts, List<Atom> into)
        {
        }

        public override void CollectBlockers(PatientFacts facts, bool negated, List<Blocker> into)
        {
        }

        public override ConditionTrace Trace(PatientFacts facts) => new(Text, Tri.True, null, []);

        internal override void CollectAtoms(List<Atom> into)
        {
        }
    }
}

/// <summary>A fact that made a condition false. <see cref="Negated"/>: the condition needed it false.</summary>
public readonly record struct Blocker(Atom Atom, Tri Value, bool Negated);

/// <summary>The evaluation of a condition, node by node, for <c>explain</c>.</summary>
public sealed record ConditionTrace(string Text, Tri Value, string? PatientValue, IReadOnlyList<ConditionTrace> Children);

internal sealed class AndCondition(Condition[] parts) : Condition
{
    public override string Text { get; } = string.Join(" and ", parts.Select(p => p is OrCondition ? $"({p.Text})" : p.Text));

    public override Tri Evaluate(PatientFacts facts)
    {
        var result = Tri.True;
        foreach (var part in parts)
        {
            result = TriLogic.And(result, part.Evaluate(facts));
            if (result == Tri.False)
            {
                return Tri.False;
            }
        }

        return result;
    }

    public override void CollectUnknown(PatientFacts facts, List<Atom> into)
    {
        // Only worth asking if no other part already makes the whole false.
        if (Evaluate(facts) != Tri.Unknown)
        {
            return;
        }

        foreach (var part in parts)
        {
            part.CollectUnknown(facts, into);
        }
    }

    public override void CollectBlockers(PatientFacts facts, bool negated, List<Blocker> into)
    {
        foreach (var part in parts)
        {
            var value = part.Evaluate(facts);
            if (negated ? value == Tri.True : value == Tri.False)
            {
                part.CollectBlockers(facts, negated, into);
            }
        }
    }

    public override ConditionTrace Trace(PatientFacts facts) =>
        new(Text, Evaluate(facts), null, parts.Select(p => p.Trace(facts)).ToArray());

    internal override void CollectAtoms(List<Atom> into)
    {
        foreach (var part in parts)
        {
            part.CollectAtoms(into);
        }
    }
}

internal sealed class OrCondition(Condition[] parts) : Condition
{
    public override string Text { get; } = string.Join(" or ", parts.Select(p => p.Text));

    public override Tri Evaluate(PatientFacts facts)
    {
        var result = Tri.False;
        foreach (var part in parts)
        {
            result = TriLogic.Or(result, part.Evaluate(facts));
            if (result == Tri.True)
            {
                return Tri.True;
            }
        }

        return result;
    }

    public override void CollectUnknown(PatientFacts facts, List<Atom> into)
    {
        if (Evaluate(facts) != Tri.Unknown)
        {
            return;
        }

        foreach (var part in parts)
        {
            part.CollectUnknown(facts, into);
        }
    }

    public override void CollectBlockers(PatientFacts facts, bool negated, List<Blocker> into)
    {
        foreach (var part in parts)
        {
            part.CollectBlockers(facts, negated, into);
        }
    }

    public override ConditionTrace Trace(PatientFacts facts) =>
        new(Text, Evaluate(facts), null, parts.Select(p => p.Trace(facts)).ToArray());

    internal override void CollectAtoms(List<Atom> into)
    {
        foreach (var part in parts)
        {
            part.CollectAtoms(into);
        }
    }
}

internal sealed class NotCondition(Condition inner) : Condition
{
    public override string Text { get; } = inner is AndCondition or OrCondition ? $"not ({inner.Text})" : $"not {inner.Text}";

    public override Tri Evaluate(PatientFacts facts) => TriLogic.Not(inner.Evaluate(facts));

    public override void CollectUnknown(PatientFacts facts, List<Atom> into) => inner.CollectUnknown(facts, into);

    public override void CollectBlockers(PatientFacts facts, bool negated, List<Blocker> into) =>
        inner.CollectBlockers(facts, !negated, into);

    public override ConditionTrace Trace(PatientFacts facts) => new(Text, Evaluate(facts), null, [inner.Trace(facts)]);

    internal override void CollectAtoms(List<Atom> into) => inner.CollectAtoms(into);
}

/// <summary>A leaf: one named fact, a fact about agents, or a comparison of a numeric fact.</summary>
/// <remarks>
/// A fact's meaning is a noun phrase ("hormone receptor–positive disease", "prior therapy with pertuzumab"), so that
/// every sentence built from it reads as English: "only for patients with …", "not for patients with …", "whether
/// the patient has …". A numeric comparison is worded as a clause instead ("only when ECOG performance status is at
/// least 2"). A test renders every condition of the shipped knowledge base in each form.
/// </remarks>
public abstract class Atom : Condition
{
    /// <summary>What the atom means, in words a clinician reads: "hormone receptor–positive disease".</summary>
    public abstract string Meaning { get; }

    /// <summary>
    /// The atom as a requirement a patient failed: "only for patients with …" when the condition needed it to hold,
    /// "not for patients with …" when it needed it not to.
    /// </summary>
    public virtual string Requirement(bool mustHold) => (mustHold ? "only for patients with " : "not for patients with ") + Meaning;

    /// <summary>The atom as an open question, completing "the input does not say whether …".</summary>
    public virtual string Question => "the patient has " + Meaning;

    internal override void CollectAtoms(List<Atom> into) => into.Add(this);

    /// <summary>The patient's value, in words: "ER negative, PR negative".</summary>
    public abstract string Show(PatientFacts facts);

    /// <summary>The input field to ask for when the atom is unknown; null if it can't be unknown.</summary>
    public abstract MissingItem? Missing { get; }

    /// <summary>The field to ask this patient for (e.g. PR when ER is known).</summary>
    public virtual MissingItem? MissingIn(PatientFacts facts) => Missing;

    /// <summary>Every field to ask this patient for: more than one when the atom rests on several inputs.</summary>
    public virtual IReadOnlyList<MissingItem> MissingItemsIn(PatientFacts facts) => MissingIn(facts) is { } item ? [item] : [];

    public override void CollectUnknown(PatientFacts facts, List<Atom> into)
    {
        if (Evaluate(facts) == Tri.Unknown && !into.Contains(this))
        {
            into.Add(this);
        }
    }

    public override void CollectBlockers(PatientFacts facts, bool negated, List<Blocker> into)
    {
        var value = Evaluate(facts);
        if (negated ? value == Tri.True : value == Tri.False)
        {
            into.Add(new Blocker(this, value, negated));
        }
    }

    public override ConditionTrace Trace(PatientFacts facts) => new(Text, Evaluate(facts), Show(facts), []);
}

internal sealed class FactAtom(FactDefinition fact) : Atom
{
    public FactDefinition Fact { get; } = fact;

    public override string Text => Fact.Name;

    public override string Meaning => Fact.Meaning;

    public override MissingItem? Missing => Fact.Missing;

    public override MissingItem? MissingIn(PatientFacts facts) => Fact.MissingFor is { } missingFor ? missingFor(facts) : Fact.Missing;

    public override IReadOnlyList<MissingItem> MissingItemsIn(PatientFacts facts) =>
        Fact.MissingEach is { } each ? each(facts) : base.MissingItemsIn(facts);

    public override Tri Evaluate(PatientFacts facts) => Fact.Evaluate(facts);

    public override string Show(PatientFacts facts) => Fact.Show(facts);
}

internal sealed class AgentFactAtom(AgentFactDefinition fact, Knowledge.AgentSet agents, string argument, string argumentName) : Atom
{
    public override string Text { get; } = $"{fact.Name}({argument})";

    public override string Meaning { get; } = string.Format(System.Globalization.CultureInfo.InvariantCulture, fact.MeaningFormat, argumentName);

    public override MissingItem? Missing => null;

    public override Tri Evaluate(PatientFacts facts) => fact.Evaluate(facts, agents);

    public override string Show(PatientFacts facts) => fact.Show(facts, agents);
}

public enum Comparison
{
    AtLeast,
    AtMost,
    GreaterThan,
    LessThan,
    EqualTo,
}

internal sealed class ComparisonAtom(NumericFactDefinition fact, Comparison comparison, double value) : Atom
{
    private static string Symbol(Comparison c) => c switch
    {
        Comparison.AtLeast => ">=",
        Comparison.AtMost => "<=",
        Comparison.GreaterThan => ">",
        Comparison.LessThan => "<",
        _ => "=",
    };

    private static string Words(Comparison c) => c switch
    {
        Comparison.AtLeast => "at least",
        Comparison.AtMost => "at most",
        Comparison.GreaterThan => "more than",
        Comparison.LessThan => "less than",
        _ => "exactly",
    };

    public override string Text { get; } = $"{fact.Name} {Symbol(comparison)} {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public override string Meaning { get; } = $"{fact.Meaning} {Words(comparison)} {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private string Clause { get; } = $"{fact.Meaning} is {Words(comparison)} {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public override string Requirement(bool mustHold) => (mustHold ? "only when " : "not when ") + Clause;

    public override string Question => Clause;

    public override MissingItem? Missing => fact.Missing;

    public override Tri Evaluate(PatientFacts facts)
    {
        if (fact.Value(facts) is not { } actual)
        {
            return Tri.Unknown;
        }

        return TriLogic.From(comparison switch
        {
            Comparison.AtLeast => actual >= value,
            Comparison.AtMost => actual <= value,
            Comparison.GreaterThan => actual > value,
            Comparison.LessThan => actual < value,
            _ => Math.Abs(actual - value) < 1e-9,
        });
    }

    public override string Show(PatientFacts facts) =>
        fact.Value(facts) is { } actual
            ? $"{fact.Meaning}: {actual.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : $"{fact.Meaning}: not recorded";
}
