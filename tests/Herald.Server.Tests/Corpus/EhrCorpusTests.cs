using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Herald.Server.Tests.Cards;

namespace Herald.Server.Tests.Corpus;

/// <summary>
/// The EHR corpus (tests/corpus/ehr, README there): every record, read over REST and over CDS Hooks, reaches the
/// decision its native twin reaches, or the out-of-scope answer, or the exact refusal its case names. A failure names
/// the case, what differs and, over REST, where the native patient Herald read differs from the twin.
/// </summary>
public sealed class EhrCorpusTests(CorpusServer server) : IClassFixture<CorpusServer>
{
    public static TheoryData<string> Cases => [.. CorpusCase.Ids()];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_native_twin_is_valid_input_that_Herald_decides(string id)
    {
        var c = CorpusCase.Load(id);
        server.Today(c.AsOf);

        var (status, body) = await server.Native(c);

        Assert.True(status == HttpStatusCode.OK, $"{id}: the native twin is refused ({(int)status}): {Errors(body)}");
        if (c.Expect.Kind == Expectation.OutOfScope)
        {
            Assert.Equal(Expectation.OutOfScope, DecisionSummary.Of(body).Kind);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_record_over_REST_gets_the_answer_its_case_expects(string id)
    {
        var c = CorpusCase.Load(id);
        server.Today(c.AsOf);

        var (status, body) = await server.Record(c);

        switch (c.Expect.Kind)
        {
            case Expectation.SameDecision:
                var twin = await TwinDecision(c);
                Assert.True(status == HttpStatusCode.OK, Failure(id, "REST", $"refused ({(int)status}) where the twin decides {twin}", Mapping(body, c.Native)));
                var differences = twin.Differences(DecisionSummary.Of(body));
                Assert.True(differences.Count == 0, Failure(id, "REST", "a different decision from the native twin's", [.. differences, .. Mapping(body, c.Native)]));
                break;
            case Expectation.OutOfScope:
                Assert.True(status == HttpStatusCode.OK, Failure(id, "REST", $"refused ({(int)status}) where the answer is out of scope", Mapping(body, c.Native)));
                var decision = DecisionSummary.Of(body);
                Assert.True(decision.Kind == Expectation.OutOfScope && decision.Ranked.Count == 0,
                    Failure(id, "REST", $"decided {decision} where the answer is out of scope", Mapping(body, c.Native)));
                break;
            default:
                var paths = (body["errors"] as JsonArray ?? []).Select(e => e!["path"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal).ToArray();
                var decided = status == HttpStatusCode.OK ? $"; it decided {DecisionSummary.Of(body)}" : "";
                Assert.True((int)status == c.Expect.Status && paths.SequenceEqual(c.Expect.RefusedFields.Order(StringComparer.Ordinal)),
                    Failure(id, "REST", $"expected {c.Expect}, got {(int)status} naming [{string.Join(", ", paths)}]{decided}", Mapping(body, c.Native)));
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_record_over_CDS_Hooks_gets_the_answer_its_case_expects(string id)
    {
        var c = CorpusCase.Load(id);
        server.Today(c.AsOf);
        var request = await server.HookRequest(c);
        var hookInstance = request["hookInstance"]!.GetValue<string>();

        var (status, body) = await server.PatientView(request);

        Assert.True(status == HttpStatusCode.OK, Failure(id, "CDS Hooks", $"answered {(int)status}: {body.ToJsonString()}", []));
        var actual = CardSummary.Of(body["cards"]!.AsArray(), hookInstance);
        switch (c.CdsExpect.Kind)
        {
            case Expectation.SameDecision:
                var twin = await TwinDecision(c);
                var expected = TwinCards(c, hookInstance);
                var differences = expected.Differences(actual, twin);
                Assert.True(differences.Count == 0, Failure(id, "CDS Hooks", $"cards that differ from the native twin's decision ({twin})",
                    [.. differences, .. actual.Summaries.Select(s => "card " + s)]));
                break;
            case Expectation.OutOfScope:
                Assert.True(actual.Refused is null && actual.RegimenCards.Count == 0 && actual.NoOptions is not null && actual.DecisionPoint is not null,
                    Failure(id, "CDS Hooks", "not an out-of-scope answer (a decision-point card and a no-options card, no regimen card)", Cards(actual)));
                break;
            default:
                var expectedFields = c.CdsExpect.RefusedFields.Order(StringComparer.Ordinal).ToArray();
                Assert.True(actual.Refused is { } refused && refused.SequenceEqual(expectedFields) && actual.RegimenCards.Count == 0,
                    Failure(id, "CDS Hooks", $"expected the \"needs more data\" card naming [{string.Join(", ", expectedFields)}]", Cards(actual)));
                break;
        }
    }

    private async Task<DecisionSummary> TwinDecision(CorpusCase c)
    {
        var (status, body) = await server.Native(c);
        Assert.True(status == HttpStatusCode.OK, $"{c.Id}: the native twin is refused ({(int)status}), so there is no decision to compare with: {Errors(body)}");
        return DecisionSummary.Of(body);
    }

    // The cards the native twin's decision gives for the same call: the same builder, so only the decision can differ.
    private static CardSummary TwinCards(CorpusCase c, string hookInstance)
    {
        var decision = CardTestKit.Decide(c.Native.ToJsonString());
        var cards = PatientViewCards.Build(decision, new CardContext { HookInstance = hookInstance, PatientId = c.PatientId, Knowledge = Knowledge.Value });
        var json = JsonNode.Parse(CdsHooksJson.Serialize(new CdsResponse { Cards = cards }))!["cards"]!.AsArray();
        return CardSummary.Of(json, hookInstance);
    }

    private static readonly Lazy<Herald.Core.Knowledge.KnowledgeBase> Knowledge = new(() => CardTestKit.Kb);

    private static IReadOnlyList<string> Cards(CardSummary answer) =>
        [.. answer.Refused is { } refused ? [$"refused (\"Herald needs more data\"): [{string.Join(", ", refused)}]"] : Array.Empty<string>(),
         .. answer.Summaries.Select(s => "card " + s)];

    private static string Errors(JsonNode body) =>
        string.Join("; ", (body["errors"] as JsonArray ?? []).Select(e => $"{e!["path"]}: {e["message"]}"));

    /// <summary>What the mapping reported and where the patient it read differs from the twin.</summary>
    private static IReadOnlyList<string> Mapping(JsonNode body, JsonObject twin)
    {
        var lines = new List<string>();
        lines.AddRange((body["errors"] as JsonArray ?? []).Select(e => $"error {e!["path"]}: {e["message"]}"));
        var mapping = body["fhirMapping"];
        lines.AddRange((mapping?["problems"] as JsonArray ?? []).Select(p => $"problem {p!["field"]}: {p["message"] ?? p["text"]}"));
        lines.AddRange((mapping?["unmapped"] as JsonArray ?? []).Select(u =>
            $"unmapped {u!["concept"]}: {u["system"]}|{u["code"]} {u["display"]} ({u["resource"]} {u["element"]})"));
        lines.AddRange(PatientDifferences.Between(twin, mapping?["patient"]).Select(d => "patient " + d));
        return lines;
    }

    private static string Failure(string id, string channel, string what, IReadOnlyList<string> details)
    {
        var text = new StringBuilder($"[{id}] over {channel}: {what}");
        foreach (var line in details)
        {
            text.Append("\n  - ").Append(line);
        }

        return text.ToString();
    }
}
