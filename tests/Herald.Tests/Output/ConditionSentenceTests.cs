using System.Text.RegularExpressions;
using Herald.Core;
using Herald.Core.Conditions;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Herald.Tests.Support;

namespace Herald.Tests.Output;

/// <summary>
/// The sentences Herald builds from conditions ("only for patients with …", "not for patients with …", "the input
/// does not say whether …") read as English for every fact that every statement and safety rule of the shipped
/// knowledge base names.
/// </summary>
public sealed partial class ConditionSentenceTests
{
    private static readonly Decision Decision = TestKnowledge.Decide(TestKnowledge.Patient());

    /// <summary>Every condition in the knowledge base, named by where it is written.</summary>
    private static IEnumerable<(string Where, Condition Condition)> Conditions(KnowledgeBase kb)
    {
        foreach (var statement in kb.Statements)
        {
            yield return ($"statement {statement.Id}", statement.When);
            foreach (var action in statement.Recommends.Where(a => a.When is not null))
            {
                yield return ($"statement {statement.Id}, recommends {action.Regimen.Id}", action.When!);
            }

            foreach (var caution in statement.Cautions.Where(c => c.When is not null))
            {
                yield return ($"statement {statement.Id}, caution", caution.When!);
            }

            foreach (var alert in statement.Alerts.Where(a => a.When is not null))
            {
                yield return ($"statement {statement.Id}, alert", alert.When!);
            }
        }

        foreach (var rule in kb.SafetyRules)
        {
            yield return ($"safety rule {rule.Id}", rule.When);
        }
    }

    /// <summary>Every sentence a condition can produce: each fact required, each fact excluded, each fact left open.</summary>
    private static IEnumerable<(string Where, string Sentence)> Sentences()
    {
        var facts = Decision.Facts;
        foreach (var (where, condition) in Conditions(TestKnowledge.Kb))
        {
            foreach (var atom in condition.Atoms())
            {
                foreach (var negated in new[] { false, true })
                {
                    Blocker[] blockers = [new(atom, negated ? Tri.True : Tri.False, negated)];
                    yield return (where, DecisionText.Requirements(blockers, facts));
                    yield return (where, DecisionText.Undetermined(blockers));
                }
            }
        }

        foreach (var statement in TestKnowledge.Kb.Statements.Where(s => s.Recommends.Count > 0))
        {
            foreach (var atom in statement.When.Atoms())
            {
                Blocker[] blockers = [new(atom, Tri.True, true)];
                yield return ($"statement {statement.Id}", DecisionText.Reason(new Reason(ReasonCode.ConditionNotMet, statement, null, AgentSet.Empty, null, blockers), Decision));
                yield return ($"statement {statement.Id}", DecisionText.Reason(new Reason(ReasonCode.AlsoNotIndicated, statement, null, AgentSet.Empty, null, blockers), Decision));
            }
        }
    }

    [Fact]
    public void Every_condition_of_the_shipped_knowledge_base_renders_as_a_grammatical_sentence()
    {
        var sentences = Sentences().ToList();
        var broken = sentences
            .Where(s => BrokenPattern().IsMatch(s.Sentence) || RepeatedWord().IsMatch(s.Sentence))
            .Select(s => $"{s.Where}: {s.Sentence}")
            .Distinct()
            .ToList();

        Assert.True(sentences.Count > 100, $"only {sentences.Count} sentences rendered: the knowledge base was not walked");
        Assert.True(broken.Count == 0, "ungrammatical sentences:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_sentence_for_a_regimen_already_received_names_the_prior_therapy()
    {
        var statement = TestKnowledge.Kb.Statements.Single(s => s.Id == "asco14-later-lines-tdm1-if-not-received");
        var atom = Assert.Single(statement.When.Atoms());
        var reason = new Reason(ReasonCode.ConditionNotMet, statement, null, AgentSet.Empty, null, [new Blocker(atom, Tri.True, true)]);

        var sentence = DecisionText.Reason(reason, Decision);

        Assert.Contains(": not for patients with prior therapy with trastuzumab emtansine (early or metastatic) (this patient:", sentence);
        Assert.DoesNotContain("without has", sentence);
    }

    [Fact]
    public void A_numeric_comparison_reads_as_a_clause()
    {
        var statement = TestKnowledge.Kb.Statements.First(s => s.When.Atoms().Any(a => a.Text.StartsWith("prior-her2-lines", StringComparison.Ordinal)));
        var atom = statement.When.Atoms().First(a => a.Text.StartsWith("prior-her2-lines", StringComparison.Ordinal));

        Assert.StartsWith("only when the number of prior lines with HER2-targeted therapy is at least 2 (this patient:", DecisionText.Requirements([new Blocker(atom, Tri.False, false)], Decision.Facts));
        Assert.StartsWith("not when the number of prior lines with HER2-targeted therapy is at least 2", DecisionText.Requirements([new Blocker(atom, Tri.True, true)], Decision.Facts));
    }

    // A verb or a bare adjective where the frame expects a noun phrase: "without has received", "with unable to", "has the patient prefers".
    [GeneratedRegex(@"\b(with|without|has|have|whether|for)\s+(has|have|had|is|are|was|were|be|been|can|cannot|does|do|did|prefers|contains|unable|younger|older)\b|\b(with|has)\s+the patient\b|applies only without", RegexOptions.IgnoreCase)]
    private static partial Regex BrokenPattern();

    [GeneratedRegex(@"\b(with|without|for|the|a|an|of|to|has|is|not)\s+\1\b", RegexOptions.IgnoreCase)]
    private static partial Regex RepeatedWord();
}
