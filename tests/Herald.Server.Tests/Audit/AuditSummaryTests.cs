using Herald.Audit;
using Herald.Server.Pipeline;
using Herald.Server.Tests.Cards;
using Herald.Server.Tests.Corpus;

namespace Herald.Server.Tests.Audit;

/// <summary>
/// The CDS Hooks answers record their summary from the typed decision (they make no decision document); the REST
/// answers from the document. Both must say the same thing about the same decision, for every patient Herald ships
/// or tests against (the examples and the EHR corpus's native twins).
/// </summary>
public sealed class AuditSummaryTests
{
    public static TheoryData<string> Patients =>
    [
        .. Directory.GetFiles(Path.Combine(CardTestKit.RepositoryRoot, "examples"), "*.json").Select(f => "examples/" + Path.GetFileName(f)).Order(StringComparer.Ordinal),
        .. CorpusCase.Ids().Select(id => "corpus/" + id),
    ];

    [Theory]
    [MemberData(nameof(Patients))]
    public void The_summary_from_the_decision_is_the_summary_from_its_document(string patient)
    {
        var json = patient.StartsWith("corpus/", StringComparison.Ordinal)
            ? CorpusCase.Load(patient["corpus/".Length..]).Native.ToJsonString()
            : File.ReadAllText(Path.Combine(CardTestKit.RepositoryRoot, patient));
        var outcome = new DecisionService(CardTestKit.Kb).FromNative(json, editionId: null, asOf: null, today: new DateOnly(2026, 12, 3));
        Assert.True(outcome.Decided, $"{patient}: not decided ({string.Join("; ", outcome.Errors.Select(e => $"{e.Path}: {e.Message}"))})");
        string[] cards = ["card-a", "card-b"];

        var fromDocument = AuditSummaries.Of(outcome.Document!, cards);
        var fromDecision = AuditSummaries.Of(outcome.Decision!, cards);

        Assert.Equal(Describe(fromDocument), Describe(fromDecision));
        Assert.NotNull(fromDecision.DecisionPoint);
    }

    private static string Describe(AuditSummary s) =>
        $"{s.DecisionPoint} line {s.Line}; ranked [{string.Join(", ", s.Ranked)}]; excluded [{string.Join(", ", s.Excluded)}]; "
        + $"alerts [{string.Join(", ", s.Alerts)}]; cards [{string.Join(", ", s.Cards)}]";
}
