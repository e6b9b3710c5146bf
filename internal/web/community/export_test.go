package community

// NCResults lets the external tests decode the search API.
type NCResults = ncResults
