package ui

// focus says which part of the list screen takes keys.
type focus int

const (
	focusList focus = iota
	focusQuery
	focusFacets
)
