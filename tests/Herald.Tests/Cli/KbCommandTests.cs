using System.Text.RegularExpressions;
using Herald.Tests.Support;
using static Herald.Tests.Cli.CliRunner;

namespace Herald.Tests.Cli;

/// <summary><c>herald kb validate | list | show</c>.</summary>
public sealed class KbCommandTests
{
    [Fact]
    public void Validate_passes_the_shipped_knowledge_base_and_checks_the_quotes_against_the_seeds()
    {
        var result = Run("kb", "validate", "--seeds", TestKnowledge.SeedsDirectory);

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Matches(@"Quotes checked: all \d+ quotes found in the seed documents", result.Out);
        Assert.Contains("Statements per edition: asco-2014 ", result.Out);
        Assert.Contains("current-seeds ", result.Out);
        Assert.Matches(@"Safety rules \d+, regimens \d+, agents \d+", result.Out);
        Assert.EndsWith("Clean.\n", result.Out);
    }

    [Fact]
    public void Validate_says_plainly_whether_quotes_were_checked()
    {
        var result = Run("kb", "validate", "--knowledge", Path.Combine(TestKnowledge.RepositoryRoot, "knowledge"));

        // The default seeds directory is relative to the current directory; where it is absent the output says so.
        Assert.Equal(0, result.ExitCode);
        Assert.True(
            result.Out.Contains("Quotes checked: all", StringComparison.Ordinal) || result.Out.Contains("Quotes NOT checked", StringComparison.Ordinal),
            result.Out);
    }

    [Fact]
    public void Validate_reports_a_broken_statement_with_its_file_and_line()
    {
        using var temp = new TempDirectory();
        var copy = CopyKnowledge(temp.Path);
        var panel = Path.Combine(copy, "statements", "panel-2021.yaml");
        var text = File.ReadAllText(panel);
        var broken = new Regex("regimen: pertuzumab-trastuzumab-docetaxel").Replace(text, "regimen: no-such-regimen", 1);
        Assert.NotEqual(text, broken);
        File.WriteAllText(panel, broken);

        var result = Run("kb", "validate", "--knowledge", copy);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"knowledge/statements/panel-2021\.yaml:\d+: .*no-such-regimen", result.Out);
        Assert.Contains("did not load", result.Out);
    }

    [Fact]
    public void A_broken_knowledge_directory_makes_recommend_fail_with_exit_code_1()
    {
        using var temp = new TempDirectory();
        var copy = CopyKnowledge(temp.Path);
        File.WriteAllText(Path.Combine(copy, "regimens.yaml"), "regimens: [");

        var result = Run("recommend", Example("seed-case-1.json"), "--knowledge", copy);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("regimens.yaml", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void List_statements_of_an_edition_lists_only_that_editions_statements()
    {
        var result = Run("kb", "list", "statements", "--edition", "panel-2021");

        Assert.Equal(0, result.ExitCode);
        foreach (var statement in TestKnowledge.Kb.FindEdition("panel-2021")!.Statements)
        {
            Assert.Contains(statement.Id, result.Out);
        }

        Assert.DoesNotContain("asco14-", result.Out);
        Assert.DoesNotContain("cons16-", result.Out);
        Assert.DoesNotContain('\u001b', result.Out);
    }

    [Theory]
    [InlineData("statements", "asco14-first-line-thp")]
    [InlineData("regimens", "tucatinib-trastuzumab-capecitabine")]
    [InlineData("agents", "trastuzumab-deruxtecan")]
    [InlineData("groups", "her2-directed")]
    [InlineData("trials", "NCT02614794")]
    [InlineData("editions", "current-seeds")]
    [InlineData("rules", "respiratory-symptoms-weigh-against-trastuzumab-deruxtecan")]
    [InlineData("facts", "received(agent)")]
    [InlineData("parameters", "lvef-minimum-percent")]
    [InlineData("sources", "001_527a898b6cc3ddd2.txt")]
    public void List_shows_each_kind_of_entity(string subject, string expected)
    {
        var result = Run("kb", "list", subject);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Out);
    }

    [Fact]
    public void List_rejects_an_unknown_subject_and_an_edition_where_it_means_nothing()
    {
        Assert.Equal(2, Run("kb", "list", "drugs").ExitCode);
        Assert.Equal(2, Run("kb", "list", "agents", "--edition", "panel-2021").ExitCode);
        Assert.Equal(2, Run("kb", "list", "statements", "--edition", "panel-2099").ExitCode);
    }

    [Fact]
    public void Show_prints_a_statement_with_its_quote_and_all_its_fields()
    {
        var statement = TestKnowledge.Kb.FindStatement("asco14-first-line-thp")!;

        var result = Run("kb", "show", "asco14-first-line-thp");

        Assert.Equal(0, result.ExitCode);
        var flat = Flatten(result.Out);
        Assert.Contains(Flatten(statement.Quote), flat);
        Assert.Contains(statement.Source.File!, flat);
        Assert.Contains("Section: " + statement.Section, flat);
        Assert.Contains("Voice: " + statement.Voice, flat);
        Assert.Contains("Condition: not taxane-contraindicated", flat);
        Assert.Contains("Recommends: pertuzumab-trastuzumab-docetaxel", flat);
    }

    [Theory]
    [InlineData("tucatinib-trastuzumab-capecitabine", "Regimen tucatinib-trastuzumab-capecitabine")]
    [InlineData("tucatinib", "Agent tucatinib")]
    [InlineData("her2climb", "Trial her2climb")]
    [InlineData("panel-2021", "Edition panel-2021")]
    [InlineData("lvef-below-threshold-excludes-her2-therapy", "Safety rule lvef-below-threshold-excludes-her2-therapy")]
    [InlineData("lvef-minimum-percent", "Parameter lvef-minimum-percent")]
    [InlineData("seed-001", "Source seed-001")]
    [InlineData("hr-positive", "Fact hr-positive")]
    public void Show_finds_any_kind_of_entity(string id, string heading)
    {
        var result = Run("kb", "show", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(heading, result.Out);
    }

    [Fact]
    public void Show_an_unknown_id_is_a_usage_error_with_suggestions()
    {
        var result = Run("kb", "show", "first-line-thp");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("asco14-first-line-thp", result.Error);
    }

    private static string CopyKnowledge(string into)
    {
        var source = Path.Combine(TestKnowledge.RepositoryRoot, "knowledge");
        var target = Path.Combine(into, "knowledge");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
