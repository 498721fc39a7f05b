using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// A regimen progressed on earlier, restarted later, and now controlling the disease: the answer says once, coherently,
/// that the decision is to continue the re-challenge, with the earlier progression as a caution, not also as an exclusion.
/// </summary>
public class RechallengeTests
{
    private static readonly string[] Tdm1 = ["trastuzumab-emtansine"];
    private static readonly string[] Tucatinib = ["tucatinib", "trastuzumab", "capecitabine"];

    private static Decision RechallengedTdm1(ExtracranialStatus status) => Decide(Patient().DeNovo("2022-01-10")
        .Line("2022-01-20", "2023-02-01", Tdm1)
        .Line("2023-02-15", "2024-11-01", Tucatinib)
        .Ongoing("2024-11-20", Tdm1)
        .Extracranial(status));

    [Fact]
    public void A_working_rechallenge_is_continued_with_the_earlier_progression_as_a_caution_not_an_exclusion()
    {
        var d = RechallengedTdm1(ExtracranialStatus.Responding);

        Assert.Equal(DecisionKind.ContinueCurrentTherapy, d.Point.Kind);
        var continuation = Assert.Single(d.Recommendations, r => r.Regimen.Kind == RegimenKind.CurrentRegimen);
        Assert.Null(d.ExclusionOf("trastuzumab-emtansine"));
        var caution = Assert.Single(continuation.Cautions, n => n.Kind == NoteKind.RechallengeResponding);
        Assert.Equal(1, caution.Line!.Number);
        Assert.Equal("progressed-on-excludes", caution.Rule!.Id);
        var text = DecisionText.Note(caution, d.Facts);
        Assert.Contains("Progressed on", text, StringComparison.Ordinal);
        Assert.Contains("continue", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regimen_progressed_on_and_not_restarted_stays_excluded_beside_the_continued_rechallenge()
    {
        var d = RechallengedTdm1(ExtracranialStatus.Stable);

        d.AssertExcludedBy("tucatinib-trastuzumab-capecitabine", "progressed-on-excludes");
        Assert.Null(d.ExclusionOf("trastuzumab-emtansine"));
    }

    [Fact]
    public void A_rechallenge_that_is_progressing_is_not_continued_and_stays_excluded()
    {
        var d = RechallengedTdm1(ExtracranialStatus.Progressing);

        Assert.NotEqual(DecisionKind.ContinueCurrentTherapy, d.Point.Kind);
        d.AssertExcludedBy("trastuzumab-emtansine", "progressed-on-excludes");
        Assert.DoesNotContain(d.Recommendations, r => r.Cautions.Any(n => n.Kind == NoteKind.RechallengeResponding));
    }
}
