using System.Reflection;
using System.Text.RegularExpressions;
using Herald.Core.Conditions;
using Herald.Core.Knowledge;
using Herald.Tests.Support;

namespace Herald.Tests.Documentation;

/// <summary>The documentation stays true to the knowledge base and to the tests it names.</summary>
public partial class DocumentationTests
{
    private static string Doc(string name) => File.ReadAllText(Path.Combine(TestKnowledge.RepositoryRoot, "docs", name));

    [Fact]
    public void Coverage_names_every_statement_and_safety_rule()
    {
        var coverage = Doc("coverage.md");
        var ids = TestKnowledge.Kb.Statements.Select(s => s.Id).Concat(TestKnowledge.Kb.SafetyRules.Select(r => r.Id));

        Assert.All(ids, id => Assert.Contains($"`{id}`", coverage));
    }

    [Fact]
    public void Every_test_coverage_names_exists()
    {
        var tests = typeof(DocumentationTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.GetCustomAttributes().Any(a => a is FactAttribute))
                .Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet();
        var named = TestName().Matches(Doc("coverage.md")).Select(m => m.Groups[1].Value).Distinct().ToArray();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, tests));
    }

    [Fact]
    public void The_knowledge_base_reference_describes_every_fact_and_placeholder()
    {
        var reference = Doc("knowledge-base.md");
        var names = FactCatalog.Facts.Select(f => f.Name)
            .Concat(FactCatalog.AgentFacts.Select(f => f.Name))
            .Concat(FactCatalog.NumericFacts.Select(f => f.Name))
            .Concat(TextTemplate.Placeholders.Keys.Select(p => "{" + p + "}"));

        Assert.All(names, name => Assert.Contains($"`{name}", reference));
    }

    [GeneratedRegex(@"`([A-Z][A-Za-z]+Tests\.[A-Za-z0-9_]+|DecisionProperties\.[A-Za-z0-9_]+)`")]
    private static partial Regex TestName();
}
