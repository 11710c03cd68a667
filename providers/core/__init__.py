"""What every provider shares: the interface and its plain data (base), one account's
config, the HTTP layer and adapter base, media probing, and the studio's shared vocabulary
(catalog, spec, motions, capabilities and prices as shapes, prompting). Imports no other
package of providers.
"""
