using System.Text.Json;
using Herald.Contracts.Output;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Herald.Tests.Knowledge;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Output;

/// <summary>
/// Every answer says how old its sources are: their years (from sources.yaml), the assessment date, that guidance may
/// have changed since, and the later editions the knowledge base records but does not encode.
/// </summary>
public sealed class DatedSourcesTests
{
    private static readonly string[] Thp = ["pertuzumab", "trastuzumab", "docetaxel"];

    public static TheoryData<string> Patients => new() { "third line", "first line", "HER2-negative", "HER2 unknown" };

    private static PatientBuilder Builder(string name) => name switch
    {
        "third line" => Patient().DeNovo("2022-01-10").Line("2022-01-20", "2023-06-01", Thp).Line("2023-06-20", "2025-10-01", ["trastuzumab emtansine"]),
        "first line" => Patient().DeNovo("2025-12-01"),
        "HER2-negative" => Patient().DeNovo("2025-12-01").Her2Ihc(Herald.Core.Patients.IhcScore.OnePlus),
        _ => Patient().DeNovo("2025-12-01").Her2(null),
    };

    private static DecisionAlert Notice(Decision decision) => Assert.Single(decision.Alerts, a => a.Engine == EngineAlert.DatedSources);

    [Theory]
    [MemberData(nameof(Patients))]
    public void Every_answer_carries_one_notice_with_the_sources_years_the_assessment_date_and_the_later_editions(string name)
    {
        var decision = Decide(Builder(name), asOf: "2026-01-15");
        var text = DecisionText.Alert(Notice(decision), decision.Facts);
        var years = decision.Edition.Sources.Select(s => s.Year).ToArray();

        Assert.Contains($"published {years.Min()} to {years.Max()}", text);
        Assert.Contains("applied to an assessment on 2026-01-15", text);
        Assert.Contains("may have changed since", text);
        foreach (var source in decision.Edition.Sources)
        {
            Assert.Contains(source.Citation, text);
            foreach (var later in source.LaterEditions)
            {
                Assert.Contains(later.Citation, text);
                Assert.Contains(later.Change, text);
            }
        }

        Assert.Contains(decision.Edition.Sources, s => s.LaterEditions.Count > 0);
        Assert.Contains("not encoded by Herald", text);
    }

    [Fact]
    public void The_notice_is_a_json_alert_with_its_own_code()
    {
        using var json = JsonDocument.Parse(DecisionJson.Serialize(Decide(Builder("third line"), asOf: "2024-03-01")));
        var notice = Assert.Single(json.RootElement.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("code").GetString() == "dated-sources");

        Assert.Contains("2024-03-01", notice.GetProperty("text").GetString());
        Assert.Contains("sources.yaml", notice.GetProperty("source").GetString());
    }

    [Fact]
    public void Before_any_later_edition_revised_the_guidance_the_notice_is_for_information()
    {
        var decision = Decide(Builder("third line"), asOf: "2021-01-15");

        Assert.Equal(Severity.Info, Notice(decision).Severity);
        Assert.DoesNotContain("out of date", DecisionText.Alert(Notice(decision), decision.Facts));
    }

    [Fact]
    public void After_a_later_edition_revised_the_guidance_the_notice_is_a_warning_that_says_so()
    {
        var revising = Kb.DefaultEdition.Sources.SelectMany(s => s.LaterEditions).Where(e => e.RevisesRecommendations).Min(e => e.Year);
        var decision = Decide(Builder("third line"), asOf: $"{revising}-12-31");

        Assert.Equal(Severity.Warning, Notice(decision).Severity);
        Assert.Contains("this answer may be out of date for this patient", DecisionText.Alert(Notice(decision), decision.Facts));
    }

    [Fact]
    public void A_single_source_edition_names_its_one_year()
    {
        var decision = Decide(Builder("third line"), edition: "consensus-2016");
        var source = Assert.Single(decision.Edition.Sources);

        Assert.Contains($"published in {source.Year} ({source.Citation})", DecisionText.Alert(Notice(decision), decision.Facts));
    }

    [Fact]
    public void The_years_and_later_editions_come_from_the_knowledge_base()
    {
        using var directory = new KnowledgeDirectory();
        directory.Write("sources.yaml", """
            sources:
              - id: seed-000
                title: A seed document
                file: seed-000.txt
                year: 2009
                citation: Seed zero
                laterEditions:
                  - { year: 2011, citation: Seed zero revised, change: a different first line, revisesRecommendations: true, source: notes }
              - id: notes
                title: Notes on later editions
                year: 2012
                citation: The notes
            """);
        var kb = directory.Load().Knowledge ?? throw new InvalidOperationException(string.Join("\n", directory.Load().Errors));
        var decision = new Herald.Core.Engine.DecisionEngine(kb).Decide(new PatientBuilder(kb).DeNovo("2012-01-10").Build(), new DateOnly(2012, 2, 1));
        var notice = Notice(decision);
        var text = DecisionText.Alert(notice, decision.Facts);

        Assert.Equal(Severity.Warning, notice.Severity);
        Assert.Contains("guidance published in 2009 (Seed zero, 2009)", text);
        Assert.Contains("Seed zero revised, 2011 (a different first line)", text);
        Assert.Equal("Herald, from sources.yaml; later editions: The notes", DecisionText.AlertSource(notice));
    }

    [Theory]
    [InlineData("year: 2008", "is not after the source's own year 2009")]
    [InlineData("source: nowhere", "source 'nowhere' is not defined in sources.yaml")]
    public void A_later_edition_must_postdate_its_source_and_cite_a_known_source(string change, string error)
    {
        using var directory = new KnowledgeDirectory();
        var later = "{ year: 2011, citation: Seed zero revised, change: something, revisesRecommendations: false, source: seed-000 }"
            .Replace(change.StartsWith("year", StringComparison.Ordinal) ? "year: 2011" : "source: seed-000", change, StringComparison.Ordinal);
        directory.Write("sources.yaml", $$"""
            sources:
              - id: seed-000
                title: A seed document
                file: seed-000.txt
                year: 2009
                citation: Seed zero
                laterEditions:
                  - {{later}}
            """);

        Assert.Contains(directory.Load().Errors, e => e.Message.Contains(error, StringComparison.Ordinal));
    }
}
