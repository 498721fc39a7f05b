using System.Text.Json;
using Herald.Contracts.Patients;
using Herald.Core.Engine;
using Herald.Tests.Support;
using static Herald.Tests.Cli.CliRunner;

namespace Herald.Tests.Cli;

/// <summary><c>herald compare</c>: one patient under every edition, the same document the web page renders.</summary>
public sealed class CompareCommandTests
{
    private static readonly string SeedCase1 = Example("seed-case-1.json");

    [Fact]
    public void Json_gives_each_editions_own_ranking_and_marks_the_regimens_the_editions_disagree_on()
    {
        var result = Run("compare", SeedCase1, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        var kb = TestKnowledge.Kb;
        var editions = root.GetProperty("editions").EnumerateArray().ToArray();
        Assert.Equal(kb.Editions.Select(e => e.Id), editions.Select(e => e.GetProperty("edition").GetString()));

        var patient = PatientJsonReader.Read(File.ReadAllText(SeedCase1), kb, new DateOnly(2026, 11, 21));
        var engine = new DecisionEngine(kb);
        for (var i = 0; i < editions.Length; i++)
        {
            var decision = engine.Decide(patient.Patient!, patient.AsOf, kb.Editions[i]);
            Assert.Equal(
                decision.Recommendations.Select(o => $"{o.Rank}:{o.Regimen.Id}"),
                editions[i].GetProperty("recommendations").EnumerateArray().Select(o => $"{o.GetProperty("rank").GetInt32()}:{o.GetProperty("regimen").GetProperty("id").GetString()}"));
        }

        // The 2014 guideline predates tucatinib: its row differs, and says so cell by cell.
        var tucatinib = root.GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("regimen").GetProperty("id").GetString() == "tucatinib-trastuzumab-capecitabine");
        Assert.True(tucatinib.GetProperty("differs").GetBoolean());
        var cells = tucatinib.GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("edition").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("not-in-edition", cells["asco-2014"]);
        Assert.Equal("recommended", cells["panel-2021"]);
    }

    [Fact]
    public void Text_shows_every_edition_and_the_differences_in_words()
    {
        var result = Run("compare", SeedCase1);

        Assert.Equal(0, result.ExitCode);
        foreach (var edition in TestKnowledge.Kb.Editions)
        {
            Assert.Contains(edition.Name.Split(' ')[0], result.Out);
        }

        Assert.Contains("DIFFERS", result.Out);
        Assert.Contains("not in this edition", result.Out);
    }

    [Fact]
    public void Compare_has_no_edition_option()
    {
        var result = Run("compare", SeedCase1, "--edition", "asco-2014");

        Assert.NotEqual(0, result.ExitCode);
    }
}
