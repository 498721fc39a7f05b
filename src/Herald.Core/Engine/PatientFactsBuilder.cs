using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Core.Engine;

/// <summary>Derives <see cref="PatientFacts"/>: lines of therapy, the 12-month rule, the decision point.</summary>
public static class PatientFactsBuilder
{
    /// <summary>Asked for (not blocking) when an early-disease regimen's stop date matters.</summary>
    internal static readonly MissingItem EarlyStopMissing = new(
        "earlyDisease.regimens[].stop",
        "When each early-disease regimen with HER2-directed therapy stopped: relapse during or within 12 months of one counts as progression on it (seed 000's window), and cough, dyspnoea or fever within the lung-toxicity window after a conjugate raise the interstitial lung disease alert. Until it is recorded, the regimens it would rule out are weighed against.",
        Blocking: false);

    /// <summary>Asked for (not blocking) when a regimen with trastuzumab stopped for cardiac toxicity or a reaction without it.</summary>
    internal static readonly MissingItem CausativeAgentsMissing = new(
        "metastaticRegimens[].causativeAgents",
        "The agent held responsible for the toxicity that stopped a regimen with trastuzumab: until it is recorded, Herald treats trastuzumab as possibly responsible (a reaction: the T-DM1 label does not recommend T-DM1 after trastuzumab was stopped for one; cardiac toxicity: trastuzumab waits for LVEF to recover, seed 002).",
        Blocking: false);

    public static PatientFacts Build(Patient patient, DateOnly asOf, KnowledgeBase kb)
    {
        var thresholds = kb.Thresholds;
        var her2 = Her2ScopeOf(patient.Receptors.Her2);
        var early = patient.EarlyDisease;
        // Early-disease treatment on record means the metastases came later: a recurrence, even when the type is
        // not given (the reader refuses early-disease treatment beside a de novo presentation).
        var recurrence = patient.Presentation.Type switch
        {
            PresentationType.Recurrence => Tri.True,
            PresentationType.DeNovo or PresentationType.NotMetastatic => Tri.False,
            _ => early is not null ? Tri.True : Tri.Unknown,
        };

        var receivedEarly = AgentSet.Empty;
        DateOnly? trastuzumabCompleted = early?.TrastuzumabCompleted;
        var completionKnown = true;
        if (early is not null)
        {
            DateOnly? lastStop = null;
            foreach (var regimen in early.Regimens)
            {
                receivedEarly |= regimen.Agents;
                if (regimen.Agents.Overlaps(kb.TrastuzumabBased))
                {
                    if (regimen.Stop is { } stop)
                    {
                        lastStop = lastStop is null || stop > lastStop ? stop : lastStop;
                    }
                    else
                    {
                        completionKnown = false;
                    }
                }
            }

            trastuzumabCompleted ??= completionKnown ? lastStop : null;
        }

        var hadEarlyTrastuzumab = receivedEarly.Overlaps(kb.TrastuzumabBased);
        // The 12-month rule after adjuvant trastuzumab (seed 000); when it cannot be applied, what it waits for.
        Tri earlyRelapse;
        MissingItem? relapseWaitsFor = null;
        int? monthsToRelapse = null;
        if (recurrence == Tri.False)
        {
            earlyRelapse = Tri.False;
        }
        else if (recurrence == Tri.Unknown)
        {
            earlyRelapse = Tri.Unknown;
            relapseWaitsFor = DecisionPointFinder.PresentationTypeMissing;
        }
        else if (early is null)
        {
            earlyRelapse = Tri.Unknown;
            relapseWaitsFor = DecisionPointFinder.EarlyDiseaseMissing;
        }
        else if (!hadEarlyTrastuzumab)
        {
            earlyRelapse = Tri.False;
        }
        else if (trastuzumabCompleted is not { } completed)
        {
            earlyRelapse = Tri.Unknown;
            relapseWaitsFor = DecisionPointFinder.TrastuzumabCompletedMissing;
        }
        else if (patient.Presentation.MetastaticDiagnosis is not { } relapse)
        {
            earlyRelapse = Tri.Unknown;
            relapseWaitsFor = DecisionPointFinder.MetastaticDiagnosisDateMissing;
        }
        else
        {
            monthsToRelapse = MonthsBetween(completed, relapse);
            earlyRelapse = TriLogic.From(relapse <= completed.AddMonths(thresholds.EarlyRelapseMonths));
        }

        var shift = earlyRelapse == Tri.True ? 1 : 0;
        var extracranial = patient.Disease.Extracranial;
        // Stable insertion sort by start date (input order breaks ties): a handful of lines, no LINQ.
        var source = patient.MetastaticRegimens;
        var ordered = source.Count == 0 ? [] : new MetastaticRegimen[source.Count];
        for (var k = 0; k < ordered.Length; k++)
        {
            var item = source[k];
            var j = k - 1;
            while (j >= 0 && ordered[j].Start > item.Start)
            {
                ordered[j + 1] = ordered[j];
                j--;
            }

            ordered[j + 1] = item;
        }

        var lines = new TherapyLine[ordered.Length];
        var receivedMetastatic = AgentSet.Empty;
        var progressedOn = AgentSet.Empty;
        var toxicityAgents = AgentSet.Empty;
        var cardiacAgents = AgentSet.Empty;
        var hypersensitivityAgents = AgentSet.Empty;
        DateOnly? trastuzumabCardiacStop = null;
        var trastuzumabCarrying = AgentSet.Of(kb.Trastuzumab.Index) | kb.Conjugates;
        var unattributedTrastuzumabToxicity = false;
        var possibleTrastuzumabReaction = false;
        TherapyLine? ongoing = null;
        TherapyLine? lastFailed = null;
        var finishedLines = 0;
        var finishedHer2Lines = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            var regimen = ordered[i];
            var her2Agents = regimen.Agents & kb.Her2Directed;
            var line = new TherapyLine
            {
                Number = i + 1,
                GuidelineLine = i + 1 + shift,
                Source = regimen,
                IsFailingNow = regimen.Stop is null && extracranial == ExtracranialStatus.Progressing,
                IsAntiHer2 = !her2Agents.IsEmpty,
                IsDualAntiHer2 = her2Agents.Count >= 2,
                MatchedRegimen = RegimenMatcher.Match(regimen.Agents, kb),
            };
            lines[i] = line;
            receivedMetastatic |= regimen.Agents;
            if (line.IsOngoing)
            {
                ongoing = line;
            }

            if (line.EndedByProgression)
            {
                progressedOn |= regimen.Agents;
                lastFailed = line;
            }

            if (regimen.StopReason == StopReason.Toxicity)
            {
                // The agent held responsible not recorded on a regimen with trastuzumab (or a conjugate of it): trastuzumab
                // may have been it, and the record is asked for.
                var unattributed = regimen.CausativeAgents.IsEmpty && regimen.Toxicity is ToxicityKind.Cardiac or ToxicityKind.InfusionReaction
                    && regimen.Agents.Overlaps(trastuzumabCarrying);
                unattributedTrastuzumabToxicity |= unattributed;
                var heldResponsible = unattributed && regimen.Toxicity == ToxicityKind.Cardiac
                    ? AgentSet.Of(kb.Trastuzumab.Index)
                    : regimen.CausativeAgents;
                if (regimen.Toxicity == ToxicityKind.Cardiac && heldResponsible.Contains(kb.Trastuzumab) && regimen.Stop is { } cardiacStop)
                {
                    trastuzumabCardiacStop = trastuzumabCardiacStop is null || cardiacStop > trastuzumabCardiacStop ? cardiacStop : trastuzumabCardiacStop;
                    cardiacAgents |= heldResponsible;
                }
                else
                {
                    toxicityAgents |= regimen.CausativeAgents;
                }

                if (regimen.Toxicity == ToxicityKind.InfusionReaction)
                {
                    hypersensitivityAgents |= regimen.CausativeAgents;
                    if (unattributed)
                    {
                        possibleTrastuzumabReaction = true;
                    }
                }
            }

            if (!line.IsOngoing || line.IsFailingNow)
            {
                finishedLines++;
                if (line.IsAntiHer2)
                {
                    finishedHer2Lines++;
                }
            }
        }

        var earlyFailures = EarlyFailures(
            early, recurrence, trastuzumabCompleted, patient.Presentation.MetastaticDiagnosis, thresholds.EarlyRelapseMonths, kb, out var undatedEarly);
        foreach (var failure in earlyFailures)
        {
            progressedOn |= failure.Agents;
        }

        var allergyAgents = AgentSet.Empty;
        var contraindicatedAgents = AgentSet.Empty;
        foreach (var intolerance in patient.Intolerances)
        {
            if (intolerance.Kind == IntoleranceKind.Allergy)
            {
                allergyAgents |= intolerance.Agents;
            }
            else
            {
                contraindicatedAgents |= intolerance.Agents;
            }
        }

        var avoided = allergyAgents | contraindicatedAgents;
        var lvef = patient.Lvef;
        var cardiac = (patient.Comorbidities & Comorbidities.HeartFailure) != 0
            ? Tri.True
            : lvef is null ? Tri.Unknown : TriLogic.From(lvef.LvefPercent < thresholds.LvefMinimumPercent);

        // Seed 002: "trastuzumab-related cardiac events appear to be reversible ... with re-challenge generally well
        // tolerated". Once LVEF measured after the stop has recovered, trastuzumab is no longer ruled out by that stop.
        var recovered = Tri.False;
        if (trastuzumabCardiacStop is { } stoppedOn)
        {
            recovered = (patient.Comorbidities & Comorbidities.HeartFailure) != 0 ? Tri.False
                : lvef is null || lvef.Date <= stoppedOn ? Tri.Unknown
                : TriLogic.From(lvef.LvefPercent >= thresholds.LvefMinimumPercent);
        }

        toxicityAgents |= recovered == Tri.True ? cardiacAgents.Except(AgentSet.Of(kb.Trastuzumab.Index)) : cardiacAgents;
        hypersensitivityAgents |= allergyAgents;

        int? taxaneMonths = null;
        if (ongoing is not null && ongoing.Agents.Overlaps(kb.Taxanes))
        {
            taxaneMonths = MonthsBetween(ongoing.Start, ongoing.Source.TaxaneStopped ?? asOf);
        }

        var (conjugateWithinWindow, recentConjugates) = ConjugatesWithinLungWindow(ordered, early, asOf, thresholds.ConjugateLungToxicityWindowMonths, kb);
        var missing = new List<MissingItem>(2);
        var received = receivedEarly | receivedMetastatic;
        var decisionPoint = DecisionPointFinder.Find(
            patient, her2, earlyRelapse, recurrence, relapseWaitsFor, hadEarlyTrastuzumab, monthsToRelapse, lines, ongoing, finishedLines, taxaneMonths,
            received.Contains(kb.Trastuzumab) && received.Contains(kb.TrastuzumabEmtansine), earlyFailures, missing);
        if (unattributedTrastuzumabToxicity)
        {
            missing.Add(CausativeAgentsMissing);
        }

        if (undatedEarly.Length > 0)
        {
            missing.Add(EarlyStopMissing);
        }

        return new PatientFacts
        {
            Patient = patient,
            AsOf = asOf,
            Knowledge = kb,
            Her2 = her2,
            HormoneReceptorPositive = HormoneReceptorPositive(patient.Receptors),
            Lines = lines,
            OngoingLine = ongoing,
            LastFailedLine = lastFailed,
            ReceivedEarly = receivedEarly,
            ReceivedMetastatic = receivedMetastatic,
            ProgressedOn = progressedOn,
            EarlyFailures = earlyFailures,
            PossibleEarlyFailures = undatedEarly,
            EarlyTrastuzumabCompleted = trastuzumabCompleted,
            HadEarlyTrastuzumab = hadEarlyTrastuzumab,
            EarlyRelapse = earlyRelapse,
            Recurrence = recurrence,
            MonthsFromTrastuzumabToRelapse = monthsToRelapse,
            CompletedGuidelineLines = finishedLines + shift,
            PriorHer2Lines = finishedHer2Lines + shift,
            DecisionPoint = decisionPoint,
            BlockingMissing = missing,
            AllergyAgents = allergyAgents,
            ContraindicatedAgents = contraindicatedAgents,
            ToxicityAgents = toxicityAgents,
            HypersensitivityAgents = hypersensitivityAgents,
            TrastuzumabCardiacStop = trastuzumabCardiacStop,
            LvefRecoveredAfterCardiacStop = recovered,
            TaxaneContraindicated = !kb.Taxanes.IsEmpty && kb.Taxanes.IsSubsetOf(avoided),
            ChemotherapyContraindicated = !kb.Chemotherapy.IsEmpty && kb.Chemotherapy.IsSubsetOf(contraindicatedAgents),
            Her2TherapyDeclaredContraindicated = !kb.Her2Directed.IsEmpty && kb.Her2Directed.IsSubsetOf(contraindicatedAgents),
            CardiacFunctionInadequate = cardiac,
            LvefDropFromBaseline = lvef?.BaselinePercent is { } baseline ? baseline - lvef.LvefPercent : null,
            DaysSinceLvef = lvef is null ? null : asOf.DayNumber - lvef.Date.DayNumber,
            TaxaneMonths = taxaneMonths,
            Resistance = lines.Length == 0 ? ResistanceAssessment.NotAssessed : ResistanceAssessor.Assess(lines),
            PossibleTrastuzumabHypersensitivity = possibleTrastuzumabReaction && !hypersensitivityAgents.Contains(kb.Trastuzumab),
            ConjugateWithinLungWindow = conjugateWithinWindow,
            RecentConjugates = recentConjugates,
        };
    }

    /// <summary>
    /// A conjugate current, or last given (its regimen's stop) no earlier than the window before "now": ILD on T-DXd
    /// began up to 8.3 months into treatment (evidence.md); watching for it after the last dose is Herald's rule. An early regimen with a
    /// conjugate and no stop date that began before the window leaves it unknown.
    /// </summary>
    private static (Tri Within, RecentConjugate[] Recent) ConjugatesWithinLungWindow(
        MetastaticRegimen[] regimens, EarlyDisease? early, DateOnly asOf, int windowMonths, KnowledgeBase kb)
    {
        var since = asOf.AddMonths(-windowMonths);
        var within = Tri.False;
        List<RecentConjugate>? recent = null;
        foreach (var regimen in regimens)
        {
            var conjugates = regimen.Agents & kb.Conjugates;
            if (conjugates.IsEmpty)
            {
                continue;
            }

            if (regimen.Stop is not { } stop)
            {
                within = Tri.True;
            }
            else if (stop >= since)
            {
                within = Tri.True;
                (recent ??= []).Add(new RecentConjugate(conjugates, stop, Early: false));
            }
        }

        foreach (var regimen in early?.Regimens ?? [])
        {
            var conjugates = regimen.Agents & kb.Conjugates;
            if (conjugates.IsEmpty)
            {
                continue;
            }

            if (regimen.Stop is { } stop)
            {
                if (stop >= since)
                {
                    within = Tri.True;
                    (recent ??= []).Add(new RecentConjugate(conjugates, stop, Early: true));
                }
            }
            else if (regimen.Start is { } began && began >= since)
            {
                within = Tri.True;
            }
            else
            {
                within = TriLogic.Or(within, Tri.Unknown);
            }
        }

        return (within, recent is null ? [] : [.. recent]);
    }

    /// <summary>
    /// Early-disease regimens with HER2-directed therapy that the disease relapsed during or within the 12-month window
    /// of (seed 000's rule, parameter early-relapse-months): each counts as progression on that regimen. A regimen
    /// without a stop date ends when trastuzumab finished if it is trastuzumab-based; otherwise its end is unknown: it
    /// may have failed (the relapse may have come during it), so it is listed in <paramref name="undated"/>.
    /// </summary>
    private static EarlyFailure[] EarlyFailures(
        EarlyDisease? early, Tri recurrence, DateOnly? trastuzumabCompleted, DateOnly? relapse, int windowMonths, KnowledgeBase kb,
        out UndatedEarlyRegimen[] undated)
    {
        undated = [];
        if (early is null || recurrence != Tri.True || relapse is not { } relapsed)
        {
            return [];
        }

        List<UndatedEarlyRegimen>? possible = null;
        var failures = new List<EarlyFailure>(early.Regimens.Count);
        foreach (var regimen in early.Regimens)
        {
            if (!regimen.Agents.Overlaps(kb.Her2Directed))
            {
                continue;
            }

            var end = regimen.Stop ?? (regimen.Agents.Overlaps(kb.TrastuzumabBased) ? trastuzumabCompleted : null);
            if (end is null && !(regimen.Start is { } began && began > relapsed))
            {
                // Without an end the relapse may have come during it or within the window: neither counted nor ignored.
                (possible ??= []).Add(new UndatedEarlyRegimen(regimen, RegimenMatcher.Match(regimen.Agents, kb)));
            }
            else if (end is { } ended && relapsed <= ended.AddMonths(windowMonths))
            {
                failures.Add(new EarlyFailure
                {
                    Source = regimen,
                    End = ended,
                    MonthsToRelapse = MonthsBetween(ended, relapsed),
                    MatchedRegimen = RegimenMatcher.Match(regimen.Agents, kb),
                });
            }
        }

        undated = possible is null ? [] : [.. possible];
        return [.. failures];
    }

    /// <summary>
    /// HER2-positive means IHC 3+ or ISH amplified (or a report that says positive without detail, or IHC 2+ with
    /// the report's overall interpretation); IHC 2+ alone needs ISH before anything can be said.
    /// </summary>
    public static Her2Scope Her2ScopeOf(Her2Test? test)
    {
        if (test is null)
        {
            return Her2Scope.Unknown;
        }

        if (test.Ihc == IhcScore.ThreePlus || test.Ish == IshResult.Amplified)
        {
            return Her2Scope.Positive;
        }

        if (test.Ish == IshResult.NotAmplified)
        {
            return Her2Scope.Negative;
        }

        if (test.Ihc is IhcScore.Zero or IhcScore.OnePlus)
        {
            return Her2Scope.Negative;
        }

        if (test.Ihc == IhcScore.TwoPlus || test.Ish == IshResult.Equivocal)
        {
            // The report's overall interpretation settles an equivocal IHC: laboratories report it after the ISH test
            // an IHC 2+ result calls for. Without one, ISH is needed.
            return test.Reported switch
            {
                ReportedStatus.Positive => Her2Scope.Positive,
                ReportedStatus.Negative => Her2Scope.Negative,
                _ => Her2Scope.Equivocal,
            };
        }

        return test.Reported switch
        {
            ReportedStatus.Positive => Her2Scope.Positive,
            ReportedStatus.Negative => Her2Scope.Negative,
            ReportedStatus.Equivocal => Her2Scope.Equivocal,
            _ => Her2Scope.Unknown,
        };
    }

    private static Tri HormoneReceptorPositive(Receptors receptors)
    {
        if (receptors.Er == HormoneReceptorStatus.Positive || receptors.Pr == HormoneReceptorStatus.Positive)
        {
            return Tri.True;
        }

        if (receptors.Er == HormoneReceptorStatus.Negative && receptors.Pr == HormoneReceptorStatus.Negative)
        {
            return Tri.False;
        }

        return Tri.Unknown;
    }

    /// <summary>Whole calendar months from one date to another (a month counts once its day is reached).</summary>
    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
        if (to.Day < from.Day)
        {
            months--;
        }

        return months;
    }
}
