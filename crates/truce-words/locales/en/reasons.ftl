# The links of a finding's reason chain, in English. Each key is said by the
# engine (`truce-engine/src/adjudicate.rs`, `incidents.rs`); `{" "}` and `{""}`
# keep spaces and empty values that Fluent would otherwise trim.

reason-list = { $items }
reason-code = `{ $id }`
reason-party = party `{ $party }`
reason-no-party = no party
reason-actor = actor `{ $actor }`
reason-side = { $field } "{ $names }"

## Who the act was against
reason-target-civilian-actor = "{ $name }" → `{ $actor }` (civilians)
reason-target-actor = "{ $name }" → `{ $actor }` ({ $designation } on { $day })
reason-target-not-an-actor = "{ $name }" (not an actor of the agreement)
reason-target-civilians-by-source = civilians according to the source
reason-target-anyone = the clause protects anyone; other side: { $other }
reason-target-anyone-no-other-side = the clause protects anyone; the source names no other side
reason-target-against = against { $side }: { $names } ({ $requirement })
reason-protects = the clause protects { $targets }
reason-protects-covered = covered actors
reason-protects-excluded = excluded actors
reason-protects-civilians = civilians
reason-protects-anyone = anyone

## Who acted
reason-initiator-first-side = the source does not say who attacked whom; the agreement reads the first side named ({ $side }) as the one who acted (`{ $setting }`)
reason-initiator-named = the source says { $side } carried out the act
reason-initiator-only = the source names only { $side }
reason-initiator-civilians = the other side is civilians, so { $side } acted
reason-initiator-unknown = the source does not say who attacked whom ({ $side } and { $other }): attributing the act to { $field } is possible, not certain

## The actor and its party
reason-match-exact = same name
reason-match-transliteration = same name up to transliteration
reason-actor-chain = { $field } names "{ $name }" → alias "{ $alias }" ({ $how }) → actor `{ $actor }` → { $party } on { $day }
reason-alias-part-of-event = the alias holds { $period } only, not on every day of the event
reason-party-changed = the actor's party changed during the event's dates

## Whether the clause was broken, and by whom
reason-no-guarantors = {""}
reason-guarantors = ; guaranteed by { $guarantors }
reason-attribution-certain = certain violation; responsible: { $responsible }{ $guarantors }
reason-attribution-certain-either = certain violation: every side that may have acted is bound by the clause; responsible: { $responsible } — the source does not say who acted{ $guarantors }
reason-attribution-possible = possible violation: a side that may have acted is not bound by the clause, or a link is uncertain; if it was one, responsible: { $responsible }{ $guarantors }

## Exceptions
reason-exception-site = {" "}`{ $site }` ({ $name })
reason-exception-no-site = {""}
reason-exception-applies = exception "{ $exception }" applies: the target is one it covers
reason-exception-does-not-apply = exception "{ $exception }" does not apply: { $why }
reason-exception-void-at-site = exception "{ $exception }" does not hold here: the event is at protected site{ $site }
reason-exception-maybe-void-at-site = exception "{ $exception }" would apply, but the event may be at protected site{ $site }, where it does not hold
reason-exception-may-apply = exception "{ $exception }" may apply: { $why }
reason-exception-miss-target = the target is not one it names
reason-exception-miss-kind = the event is not of a kind it names
reason-exception-miss-zone = the event is not in a zone it names
reason-exception-miss-conditions = its conditions are not met
reason-exception-partial-target = only some of the other side is a target it covers
reason-exception-partial-kind = the event may not be of a kind it names
reason-exception-partial-zone = the event may not be in a zone it names
reason-exception-partial-other = it may hold

## The kind of event
reason-kind-no-source-label = {""}
reason-kind-source-label = { $label }{" → "}
reason-kind-known = {""}
reason-kind-unknown = {" "}(kind `{ $kind }` is not in the taxonomy; read as any event)
reason-kind-forbidden = { $source }`{ $kind }`{ $unknown }, which is a kind of `{ $forbidden }` the clause forbids
reason-kind-any = { $source }`{ $kind }`{ $unknown }; the clause concerns any kind
reason-kind-maybe-forbidden = { $source }`{ $kind }`{ $unknown }: the source only says this much, so it may or may not be `{ $forbidden }` the clause forbids
reason-kind-plain = { $source }`{ $kind }`{ $unknown }

## The date
reason-date-within = { $span } is within the clause's window ({ $window })
reason-date-partly-within = { $span } is only partly within the clause's window ({ $window }): the event may fall outside it

## The place
reason-unnamed-place = unnamed place
reason-location-point = { $place } ({ $point }, { $precision }, ±{ $radius } km)
reason-location-no-point = { $place } (no coordinates, { $precision })
reason-place-named-unit = { $place } → the source names the unit "{ $unit }", which is zone `{ $zone }` ({ $name }): in it whatever the location's uncertainty
reason-place-inside = { $place } → inside zone `{ $zone }` ({ $name })
reason-place-inside-by = { $place } → inside zone `{ $zone }` ({ $name }), { $distance } km from its edge
reason-place-too-coarse = { $place } → may be in zone `{ $zone }` ({ $name }): the location is too coarse to tell
reason-place-inside-near-edge = { $place } → the point is in zone `{ $zone }` ({ $name }) but only { $distance } km from its edge, less than the location's uncertainty: possibly in the zone
reason-place-outside-near-edge = { $place } → the point is { $distance } km outside zone `{ $zone }` ({ $name }), within the location's uncertainty: possibly in the zone

## Protected sites
reason-site-exact = facility location
reason-site-by-town = known only by its town, ±{ $radius } km
reason-distance-km = { $distance } km
reason-distance-unknown = an unknown distance
reason-site-within = { $place } → { $distance } from protected site `{ $site }` ({ $name }, { $precision }), within its { $radius } km protection radius
reason-site-maybe-within = { $place } → { $distance } from protected site `{ $site }` ({ $name }, { $precision }); given both uncertainties it may be within the { $radius } km protection radius

## The reports behind a finding
reason-evidence-pooled = one incident reported { $times } times ({ $reports }; sources: { $sources }); this finding rests on the strongest of them
