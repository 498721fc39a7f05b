using Herald.Core.Knowledge;

namespace Herald.Core.Decisions;

/// <summary>
/// The notice every answer carries: the guidance Herald encodes is dated. It names the edition's sources with their
/// years (sources.yaml), the assessment date, and the later editions the knowledge base records but does not encode.
/// </summary>
/// <remarks>
/// Severity: <c>info</c> while no later edition that revised recommendations had appeared by the assessment year, so
/// the notice does not cry wolf on every answer; <c>warning</c> once one had (a patient assessed in 2024 against the
/// ASCO 2014 guideline, which the 2022 update revised), because the answer may then be out of date for this patient.
/// </remarks>
public static class DatedSources
{
    public static DecisionAlert Alert(Edition edition, DateOnly asOf) =>
        new(SeverityFor(edition, asOf), "", null, null, EngineAlert.DatedSources) { Edition = edition };

    public static Severity SeverityFor(Edition edition, DateOnly asOf) =>
        LaterEditions(edition).Any(e => e.RevisesRecommendations && e.Year <= asOf.Year) ? Severity.Warning : Severity.Info;

    /// <summary>The edition's sources, oldest first (knowledge-base order within a year).</summary>
    public static IReadOnlyList<Source> Sources(Edition edition) => edition.Sources.OrderBy(s => s.Year).ToArray();

    /// <summary>The later editions of the edition's sources, oldest first.</summary>
    public static IReadOnlyList<LaterEdition> LaterEditions(Edition edition) =>
        Sources(edition).SelectMany(s => s.LaterEditions).OrderBy(e => e.Year).ToArray();
}
