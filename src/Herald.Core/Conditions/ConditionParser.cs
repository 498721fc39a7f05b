using System.Globalization;
using Herald.Core.Knowledge;

namespace Herald.Core.Conditions;

/// <summary>
/// Parses the small condition language of the knowledge base:
/// <code>
/// condition  := or
/// or         := and ("or" and)*
/// and        := unary ("and" unary)*
/// unary      := "not" unary | "(" condition ")" | atom
/// atom       := "always" | fact | agent-fact "(" agent-or-group ")" | numeric-fact op number
/// op         := "&gt;=" | "&lt;=" | "&gt;" | "&lt;" | "="
/// </code>
/// Names are the ones in <see cref="FactCatalog"/>; agents and groups are knowledge-base ids.
/// </summary>
public sealed class ConditionParser
{
    private readonly Func<string, (AgentSet Agents, string Name)?> resolveAgents;
    private readonly string text;
    private int position;

    private ConditionParser(string text, Func<string, (AgentSet Agents, string Name)?> resolveAgents)
    {
        this.text = text;
        this.resolveAgents = resolveAgents;
    }

    /// <summary>Parses a condition; throws <see cref="ConditionSyntaxException"/> naming the column at fault.</summary>
    public static Condition Parse(string? text, Func<string, (AgentSet Agents, string Name)?> resolveAgents)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Condition.Always;
        }

        var parser = new ConditionParser(text, resolveAgents);
        var condition = parser.ParseOr();
        parser.SkipSpace();
        if (parser.position < text.Length)
        {
            throw parser.Error($"unexpected '{text[parser.position..]}'");
        }

        return condition;
    }

    private Condition ParseOr()
    {
        var parts = new List<Condition> { ParseAnd() };
        while (TryKeyword("or"))
        {
            parts.Add(ParseAnd());
        }

        return parts.Count == 1 ? parts[0] : new OrCondition([.. parts]);
    }

    private Condition ParseAnd()
    {
        var parts = new List<Condition> { ParseUnary() };
        while (TryKeyword("and"))
        {
            parts.Add(ParseUnary());
        }

        return parts.Count == 1 ? parts[0] : new AndCondition([.. parts]);
    }

    private Condition ParseUnary()
    {
        if (TryKeyword("not"))
        {
            return new NotCondition(ParseUnary());
        }

        SkipSpace();
        if (TryChar('('))
        {
            var inner = ParseOr();
            SkipSpace();
            if (!TryChar(')'))
            {
                throw Error("expected ')'");
            }

            return inner;
        }

        return ParseAtom();
    }

    private Condition ParseAtom()
    {
        SkipSpace();
        var start = position;
        var name = ReadName();
        if (name.Length == 0)
        {
            throw Error(position < text.Length ? $"expected a fact name, found '{text[position]}'" : "expected a fact name, found the end");
        }

        if (name == "always")
        {
            return Condition.Always;
        }

        SkipSpace();
        if (TryChar('('))
        {
            var agentFact = FactCatalog.FindAgentFact(name)
                ?? throw Error($"'{name}' is not a fact about agents; known: {string.Join(", ", FactCatalog.AgentFacts.Select(f => f.Name))}", start);
            SkipSpace();
            var argumentStart = position;
            var argument = ReadName();
            var resolved = resolveAgents(argument)
                ?? throw Error($"'{argument}' is neither an agent nor an agent group of the knowledge base", argumentStart);
            SkipSpace();
            if (!TryChar(')'))
            {
                throw Error("expected ')'");
            }

            return new AgentFactAtom(agentFact, resolved.Agents, argument, resolved.Name);
        }

        if (TryComparison(out var comparison))
        {
            var numeric = FactCatalog.FindNumericFact(name)
                ?? throw Error($"'{name}' is not a numeric fact; known: {string.Join(", ", FactCatalog.NumericFacts.Select(f => f.Name))}", start);
            SkipSpace();
            var numberStart = position;
            while (position < text.Length && (char.IsDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            if (!double.TryParse(text[numberStart..position], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw Error("expected a number", numberStart);
            }

            return new ComparisonAtom(numeric, comparison, value);
        }

        var fact = FactCatalog.FindFact(name)
            ?? throw Error($"unknown fact '{name}'; known facts are listed by 'herald kb facts'", start);
        return new FactAtom(fact);
    }

    private bool TryComparison(out Comparison comparison)
    {
        SkipSpace();
        foreach (var (symbol, value) in new[]
                 {
                     (">=", Comparison.AtLeast), ("<=", Comparison.AtMost), (">", Comparison.GreaterThan),
                     ("<", Comparison.LessThan), ("=", Comparison.EqualTo),
                 })
        {
            if (string.CompareOrdinal(text, position, symbol, 0, symbol.Length) == 0)
            {
                position += symbol.Length;
                comparison = value;
                return true;
            }
        }

        comparison = default;
        return false;
    }

    private string ReadName()
    {
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '-'))
        {
            position++;
        }

        return text[start..position];
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        var end = position + keyword.Length;
        if (end <= text.Length
            && string.CompareOrdinal(text, position, keyword, 0, keyword.Length) == 0
            && (end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] == '-')))
        {
            position = end;
            return true;
        }

        return false;
    }

    private bool TryChar(char c)
    {
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }

        return false;
    }

    private void SkipSpace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private ConditionSyntaxException Error(string message, int? at = null) =>
        new($"{message} (column {(at ?? position) + 1} of \"{text}\")");
}

public sealed class ConditionSyntaxException(string message) : Exception(message);
