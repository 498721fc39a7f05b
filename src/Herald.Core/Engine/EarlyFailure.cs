using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Core.Engine;

/// <summary>
/// An early-disease regimen the disease relapsed during or soon after: it counts as progression on that regimen,
/// as progression on a metastatic line does, so the same regimen is not offered again. "Soon" is the window of
/// seed 000's 12-month rule (parameter early-relapse-months), the window that already counts the early course as
/// a first line (docs/decision-logic.md, "Facts").
/// </summary>
public sealed class EarlyFailure
{
    public required EarlyRegimen Source { get; init; }

    public AgentSet Agents => Source.Agents;

    /// <summary>When the regimen ended: its stop date, or for a trastuzumab-based regimen without one, the date trastuzumab finished.</summary>
    public required DateOnly End { get; init; }

    public required int MonthsToRelapse { get; init; }

    public required Regimen? MatchedRegimen { get; init; }
}

/// <summary>
/// An early-disease regimen with HER2-directed therapy whose end is not recorded (nor, for a trastuzumab-based one, the
/// date trastuzumab finished): the relapse may have come during it or within the window, so it may have failed.
/// </summary>
public sealed record UndatedEarlyRegimen(EarlyRegimen Source, Regimen? MatchedRegimen)
{
    public AgentSet Agents => Source.Agents;
}
