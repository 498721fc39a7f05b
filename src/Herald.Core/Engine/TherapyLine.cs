using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Core.Engine;

/// <summary>
/// A metastatic line of therapy as Herald reads it from the patient's regimens: numbered, with the
/// knowledge-base regimen it matches and whether it ended by progression. Shown in the output so a
/// clinician can check the reading.
/// </summary>
public sealed class TherapyLine
{
    public required int Number { get; init; }

    /// <summary>
    /// The line as the guideline counts it: the metastatic number, plus one when relapse came within
    /// 12 months of adjuvant trastuzumab (that relapse counts as progression on a first line).
    /// </summary>
    public required int GuidelineLine { get; init; }

    public required MetastaticRegimen Source { get; init; }

    public AgentSet Agents => Source.Agents;

    public DateOnly Start => Source.Start;

    public DateOnly? Stop => Source.Stop;

    public bool IsOngoing => Source.Stop is null;

    /// <summary>Ongoing, but the disease outside the brain is progressing on it now.</summary>
    public required bool IsFailingNow { get; init; }

    public bool EndedByProgression => Source.StopReason == StopReason.Progression || IsFailingNow;

    public required bool IsAntiHer2 { get; init; }

    /// <summary>Two or more HER2-directed agents in one regimen.</summary>
    public required bool IsDualAntiHer2 { get; init; }

    public bool TaxaneStopped => Source.TaxaneStopped is not null;

    public required Regimen? MatchedRegimen { get; init; }

    public Tri ProgressionAtFirstAssessment => TriLogic.From(Source.ProgressionAtFirstAssessment);
}
