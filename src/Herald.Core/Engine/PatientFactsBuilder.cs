using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Core.Engine;

/// <summary>Derives <see cref="PatientFacts"/>: lines of therapy, the 12-month rule, the decision point.</summary>
public static class PatientFactsBuilder
{
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
                toxicityAgents |= regimen.CausativeAgents;
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

        int? taxaneMonths = null;
        if (ongoing is not null && ongoing.Agents.Overlaps(kb.Taxanes))
        {
            taxaneMonths = MonthsBetween(ongoing.Start, ongoing.Source.TaxaneStopped ?? asOf);
        }

        var missing = new List<MissingItem>(2);
        var received = receivedEarly | receivedMetastatic;
        var decisionPoint = DecisionPointFinder.Find(
            patient, her2, earlyRelapse, recurrence, relapseWaitsFor, hadEarlyTrastuzumab, monthsToRelapse, lines, ongoing, finishedLines, taxaneMonths,
            received.Contains(kb.Trastuzumab) && received.Contains(kb.TrastuzumabEmtansine), missing);

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
            TaxaneContraindicated = !kb.Taxanes.IsEmpty && kb.Taxanes.IsSubsetOf(avoided),
            ChemotherapyContraindicated = !kb.Chemotherapy.IsEmpty && kb.Chemotherapy.IsSubsetOf(contraindicatedAgents),
            Her2TherapyDeclaredContraindicated = !kb.Her2Directed.IsEmpty && kb.Her2Directed.IsSubsetOf(contraindicatedAgents),
            CardiacFunctionInadequate = cardiac,
            LvefDropFromBaseline = lvef?.BaselinePercent is { } baseline ? baseline - lvef.LvefPercent : null,
            DaysSinceLvef = lvef is null ? null : asOf.DayNumber - lvef.Date.DayNumber,
            TaxaneMonths = taxaneMonths,
            Resistance = lines.Length == 0 ? ResistanceAssessment.NotAssessed : ResistanceAssessor.Assess(lines),
        };
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
