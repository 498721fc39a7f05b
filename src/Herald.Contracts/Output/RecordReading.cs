using Herald.Core.Decisions;
using Herald.Core.Engine;

namespace Herald.Contracts.Output;

/// <summary>A result in the record that names a field Herald reads but that Herald could not read.</summary>
/// <param name="Field">The native field it would give, e.g. <c>receptors.her2</c>.</param>
/// <param name="Description">What was found and where, e.g. <c>'HER2/neu: see report' (Observation/17)</c>.</param>
public sealed record UnreadableResult(string Field, string Description);

/// <summary>
/// What an adapter learnt while reading the patient from a record (FHIR): the values it inferred, which the answer
/// states in its rationale, and results it found but could not read, which the requests for missing data name. Every
/// channel (JSON, cards) words them through this one type.
/// </summary>
public sealed record RecordReading(IReadOnlyList<string> Inferences, IReadOnlyList<UnreadableResult> Unreadable)
{
    public static readonly RecordReading None = new([], []);

    /// <summary>The decision point's rationale: what was inferred from the record, then the engine's own steps.</summary>
    public IReadOnlyList<string> Rationale(Decision decision) =>
        [.. Inferences, .. decision.Point.Rationale.Select(item => DecisionText.Rationale(item, decision.Facts))];

    /// <summary>The request for a missing field, naming any result for it that was found but could not be read.</summary>
    public string Request(MissingItem item)
    {
        var found = Unreadable.Where(u => item.Field == u.Field || item.Field.StartsWith(u.Field + ".", StringComparison.Ordinal)).ToList();
        if (found.Count == 0)
        {
            return item.Request;
        }

        var what = found[0].Field switch
        {
            "receptors.her2" => "A HER2 result",
            "receptors.er" => "An ER result",
            "receptors.pr" => "A PR result",
            _ => "A result",
        };
        return $"{item.Request} {what} was found but could not be read: {string.Join("; ", found.Select(f => f.Description))}.";
    }
}
