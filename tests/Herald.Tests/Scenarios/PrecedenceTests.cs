using FsCheck;
using FsCheck.Fluent;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Knowledge;
using Herald.Tests.Properties;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// Precedence in a combined edition (docs/decision-logic.md, "Precedence"): a newer statement that supports a regimen
/// never demotes it, and an older edition never outranks what a newer one puts forward at the same decision point.
/// </summary>
public class PrecedenceTests
{
    // Seed 001: endocrine therapy + trastuzumab "may be considered in individuals for whom chemotherapy is contraindicated".
    [Fact]
    public void The_2021_statement_for_trastuzumab_with_endocrine_therapy_puts_it_above_lapatinib_with_endocrine_therapy()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").HrPositive().Contraindication("chemotherapy"));

        Assert.True(d.RankOf("trastuzumab-endocrine") < d.RankOf("lapatinib-endocrine"), d.Describe());
        Assert.True(d.Option("trastuzumab-endocrine")!.CitedBy("panel21-hr-positive-endocrine-trastuzumab"));
    }

    // Seed 001, Case 2: the panel's third-line options come before the 2016 dual blockade it did not name.
    [Fact]
    public void In_seed_case_2_the_2021_third_line_options_rank_above_the_2016_lapatinib_with_trastuzumab()
    {
        var d = Decide(Patient()
                .RecurrenceAfter("2018-05-21", "2015-05-18", ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"], PathologicResponse.CompleteResponse, EarlySetting.Neoadjuvant)
                .HormoneReceptors(HormoneReceptorStatus.Negative, HormoneReceptorStatus.Negative)
                .Line("2018-06-11", "2019-12-16", ["docetaxel", "trastuzumab", "pertuzumab"])
                .Line("2020-01-06", "2020-10-05", ["trastuzumab-emtansine"]),
            asOf: "2020-10-12");

        var dual = d.RankOf("lapatinib-trastuzumab");
        foreach (var regimen in new[] { "trastuzumab-chemotherapy", "lapatinib-capecitabine", "neratinib-capecitabine" })
        {
            Assert.True(d.RankOf(regimen) < dual, $"{regimen} below lapatinib-trastuzumab: {d.Describe()}");
        }
    }

    private static readonly Lazy<KnowledgeBase> PairKnowledge = new(LoadWithEditionPairs);

    /// <summary>The shipped knowledge with one more combined edition per pair of source editions.</summary>
    private static KnowledgeBase LoadWithEditionPairs()
    {
        var source = Path.Combine(RepositoryRoot, "knowledge");
        var copy = Directory.CreateTempSubdirectory("herald-pairs-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var singles = Kb.Editions.Where(e => !e.IsCombined).OrderBy(e => e.Precedence).ToArray();
        var pairs = new System.Text.StringBuilder();
        var precedence = Kb.Editions.Max(e => e.Precedence);
        for (var i = 0; i < singles.Length; i++)
        {
            for (var j = i + 1; j < singles.Length; j++)
            {
                var (older, newer) = (singles[i], singles[j]);
                pairs.Append($"""

                      - id: pair-{older.Id}-{newer.Id}
                        name: {older.Id} with {newer.Id}
                        description: Test edition combining two sources.
                        precedence: {++precedence}
                        sources: [{string.Join(", ", older.Sources.Concat(newer.Sources).Select(s => s.Id))}]
                        includes: [{older.Id}, {newer.Id}]
                    """);
            }
        }

        File.AppendAllText(Path.Combine(copy, "editions.yaml"), pairs.ToString());
        var result = KnowledgeLoader.LoadDirectory(copy);
        Directory.Delete(copy, recursive: true);
        return result.Succeeded ? result.Knowledge! : throw new InvalidOperationException(string.Join("\n", result.Errors));
    }

    // For every pair of editions (older A, newer B): if X ranks at or above Y under A alone, and B supports X but not Y,
    // then X still ranks at or above Y under A and B together.
    [Fact]
    public void A_newer_statement_that_supports_a_regimen_never_demotes_it_for_every_pair_of_editions()
    {
        var kb = PairKnowledge.Value;
        var engine = new Core.Engine.DecisionEngine(kb);
        var pairs = kb.Editions.Where(e => e.Id.StartsWith("pair-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, pairs.Length);
        var cases = from patient in PatientGenerator.Patients(kb) from pair in Gen.Elements(pairs) select (patient, pair);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (older, newer) = (c.pair.Includes[0], c.pair.Includes[1]);
            var alone = engine.Decide(c.patient, PatientGenerator.AsOf, older);
            var together = engine.Decide(c.patient, PatientGenerator.AsOf, c.pair);
            foreach (var x in together.Recommendations.Where(r => r.Statements.Any(s => s.Statement.Edition == newer)))
            {
                foreach (var y in together.Recommendations.Where(r => r.Statements.All(s => s.Statement.Edition != newer)))
                {
                    var (xAlone, yAlone) = (alone.Option(x.Regimen.Id), alone.Option(y.Regimen.Id));
                    if (xAlone is not null && yAlone is not null && xAlone.Rank <= yAlone.Rank)
                    {
                        Assert.True(x.Rank <= y.Rank,
                            $"{c.pair.Id}: {x.Regimen.Id} (supported by {newer.Id}) fell below {y.Regimen.Id}: {together.Describe()}");
                    }
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true));
    }

    // For every pair of editions (older A, newer B): whatever B puts forward ranks at or above what only A puts forward.
    [Fact]
    public void An_older_edition_never_outranks_what_a_newer_one_puts_forward_for_every_pair_of_editions()
    {
        var kb = PairKnowledge.Value;
        var engine = new Core.Engine.DecisionEngine(kb);
        var pairs = kb.Editions.Where(e => e.Id.StartsWith("pair-", StringComparison.Ordinal)).ToArray();
        var cases = from patient in PatientGenerator.Patients(kb) from pair in Gen.Elements(pairs) select (patient, pair);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var newer = c.pair.Includes[1];
            var d = engine.Decide(c.patient, PatientGenerator.AsOf, c.pair);
            var lowestNewer = d.Recommendations.Where(r => r.Statements.Any(s => s.Statement.Edition == newer)).Select(r => r.Rank).DefaultIfEmpty(0).Max();
            Assert.All(
                d.Recommendations.Where(r => r.Statements.All(s => s.Statement.Edition != newer)),
                r => Assert.True(r.Rank >= lowestNewer, $"{c.pair.Id}: {r.Regimen.Id} ({r.RankedBy.Edition.Id} only) above an option of {newer.Id}: {d.Describe()}"));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true));
    }
}
