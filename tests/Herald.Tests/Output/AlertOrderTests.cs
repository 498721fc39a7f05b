using System.Text.Json;
using Herald.Contracts.Output;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Output;

/// <summary>Alerts come most severe first, in the decision and in the JSON, keeping the engine's order within a severity.</summary>
public sealed class AlertOrderTests
{
    private static readonly string[] Thp = ["pertuzumab", "trastuzumab", "docetaxel"];

    /// <summary>Third line with LVEF 35%: the sources' informative notes for later lines, and critical findings.</summary>
    private static Decision LaterLineWithLowLvef() => Decide(Patient()
        .DeNovo("2022-01-10")
        .Line("2022-01-20", "2023-06-01", Thp)
        .Line("2023-06-20", "2025-10-01", ["trastuzumab emtansine"])
        .Lvef(35, "2025-12-01"));

    [Fact]
    public void A_critical_alert_comes_before_the_informative_notes_of_the_sources()
    {
        var decision = LaterLineWithLowLvef();
        var severities = decision.Alerts.Select(a => a.Severity).ToList();

        Assert.Contains(Severity.Critical, severities);
        Assert.Contains(Severity.Info, severities);
        Assert.Equal(Severity.Critical, severities[0]);
        Assert.Equal(severities.OrderByDescending(s => s).ToList(), severities);
    }

    [Fact]
    public void The_json_lists_alerts_most_severe_first()
    {
        using var json = JsonDocument.Parse(DecisionJson.Serialize(LaterLineWithLowLvef()));
        var severities = json.RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("severity").GetString()!).ToList();
        var rank = new Dictionary<string, int> { ["critical"] = 0, ["warning"] = 1, ["info"] = 2 };

        Assert.Equal("critical", severities[0]);
        Assert.Contains("info", severities);
        Assert.Equal(severities.OrderBy(s => rank[s]).ToList(), severities);
    }

    [Fact]
    public void Alerts_of_one_severity_keep_the_order_they_were_raised_in()
    {
        var raised = LaterLineWithLowLvef().Alerts;
        var shuffled = new Decision
        {
            Knowledge = Kb,
            Edition = Kb.DefaultEdition,
            Facts = LaterLineWithLowLvef().Facts,
            Recommendations = [],
            Excluded = [],
            NotIndicated = [],
            MissingData = [],
            Alerts = [.. raised.Where(a => a.Severity == Severity.Info), .. raised.Where(a => a.Severity != Severity.Info)],
            Trials = [],
        };

        Assert.Equal(raised.Where(a => a.Severity == Severity.Info), shuffled.Alerts.Where(a => a.Severity == Severity.Info));
        Assert.Equal(raised.Where(a => a.Severity == Severity.Critical), shuffled.Alerts.Where(a => a.Severity == Severity.Critical));
        Assert.Equal(Severity.Critical, shuffled.Alerts[0].Severity);
    }
}
